#!/usr/bin/python3
"""Fine-tuning the authors' DNN1 as TF2 Keras would, in numpy (float64), to check `genre train --init-from --no-shuffle`.

  /usr/bin/python3 tests/golden/models/adam_steps.py MODEL_DIR DATA.csv --epochs E --batch-size B --learning-rate LR
                   [--compare GENRE_WEIGHTS.safetensors]

Reads the SavedModel's config and weights with make_predictions.py's readers (no TensorFlow), prepares the training split as
the notebooks do (pandas + scikit-learn; float32 as Keras casts it), then runs E epochs of Keras' fit(shuffle=False): batches in
the data's order (the last one partial), softmax cross-entropy from the logits averaged over the batch, TF's Adam
(lr_t = lr·sqrt(1−β2^t)/(1−β1^t); m += (g − m)(1 − β1); v += (g² − v)(1 − β2); w −= lr_t·m/(sqrt(v) + ε), ε = 1e-7), and the
epoch's loss and accuracy as sample-weighted means of the batches' values before each update. Prints JSON:
  {"loss": [per epoch], "accuracy": [per epoch], "steps": S,
   "max_abs_update": {tensor: max |final − initial|}, "max_abs_diff": {tensor: max |numpy − genre|} (with --compare)}
Tensors are named as genre names them: "<layer index>/kernel", "<layer index>/bias". Dense layers with relu or softmax only.
"""
import argparse, json, os, sys
import numpy as np, pandas as pd
from sklearn.preprocessing import LabelEncoder, MinMaxScaler
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_predictions import config, bundle, weights_for  # the SavedModel readers
from read_safetensors import read as read_safetensors

def notebook_train_split(path):
    full = pd.read_csv(path).drop(columns=['Unnamed: 0'])
    full = full.dropna().drop_duplicates()
    full = full.drop(columns=['track_id', 'artists', 'album_name', 'track_name'])
    full['explicit'] = LabelEncoder().fit_transform(full['explicit'])
    y = LabelEncoder().fit_transform(full['track_genre'])
    X = full.drop(columns=['track_genre']).to_numpy(np.float64)
    Xtf, _, ytf, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    Xtr, _, ytr, _ = train_test_split(Xtf, ytf, test_size=0.2, random_state=42)
    return MinMaxScaler().fit_transform(Xtr).astype(np.float32).astype(np.float64), ytr

def forward_backward(params, acts, x, y):
    """Loss (batch mean), number correct, gradients of every parameter."""
    hs, zs = [x], []
    for (W, b), act in zip(params, acts):
        z = hs[-1] @ W + b
        zs.append(z)
        hs.append(np.maximum(z, 0) if act == 'relu' else z)
    logits = zs[-1]
    m = logits.max(1, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(1, keepdims=True))
    n = len(y)
    loss = -logp[np.arange(n), y].mean()
    correct = int((logits.argmax(1) == y).sum())
    dz = np.exp(logp)
    dz[np.arange(n), y] -= 1
    dz /= n
    grads = [None] * len(params)
    for l in range(len(params) - 1, -1, -1):
        W, _ = params[l]
        grads[l] = (hs[l].T @ dz, dz.sum(0))
        if l > 0:
            dz = (dz @ W.T) * (zs[l - 1] > 0)
    return loss, correct, grads

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('model_dir'); ap.add_argument('data')
    ap.add_argument('--epochs', type=int, default=1); ap.add_argument('--batch-size', type=int, default=32)
    ap.add_argument('--learning-rate', type=float, default=1e-3); ap.add_argument('--compare')
    a = ap.parse_args()
    cfg = config(os.path.join(a.model_dir, 'keras_metadata.pb'))
    layers = weights_for(cfg, bundle(os.path.join(a.model_dir, 'variables')))
    assert all(cls == 'Dense' and c['activation'] in ('relu', 'softmax') for cls, c, _ in layers), 'Dense relu/softmax layers only'
    params = [(ws[0].astype(np.float64), ws[1].astype(np.float64)) for _, _, ws in layers]
    initial = [(W.copy(), b.copy()) for W, b in params]
    acts = [c['activation'] for _, c, _ in layers]
    X, y = notebook_train_split(a.data)
    b1, b2, eps, lr = 0.9, 0.999, 1e-7, a.learning_rate
    m = [[np.zeros_like(p) for p in layer] for layer in params]
    v = [[np.zeros_like(p) for p in layer] for layer in params]
    t, losses, accuracies = 0, [], []
    for _ in range(a.epochs):
        loss_sum, correct = 0.0, 0
        for start in range(0, len(y), a.batch_size):
            xb, yb = X[start:start + a.batch_size], y[start:start + a.batch_size]
            loss, c, grads = forward_backward(params, acts, xb, yb)
            loss_sum += loss * len(yb); correct += c
            t += 1
            lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            new = []
            for l, (layer, g) in enumerate(zip(params, grads)):
                ps = []
                for k in range(2):
                    m[l][k] += (g[k] - m[l][k]) * (1 - b1)
                    v[l][k] += (g[k] * g[k] - v[l][k]) * (1 - b2)
                    ps.append(layer[k] - lr_t * m[l][k] / (np.sqrt(v[l][k]) + eps))
                new.append(tuple(ps))
            params = new
        losses.append(loss_sum / len(y)); accuracies.append(correct / len(y))
    names = lambda l: (f'{l}/kernel', f'{l}/bias')
    out = {'loss': losses, 'accuracy': accuracies, 'steps': t,
           'max_abs_update': {n: float(np.abs(p - q).max()) for l in range(len(params)) for n, p, q in zip(names(l), params[l], initial[l])}}
    if a.compare:
        _, genre, _ = read_safetensors(a.compare)
        out['max_abs_diff'] = {n: float(np.abs(p - genre[n].astype(np.float64)).max()) for l in range(len(params)) for n, p in zip(names(l), params[l])}
    print(json.dumps(out))

if __name__ == '__main__':
    main()
