#!/usr/bin/python3
"""Golden predictions of the authors' five TF2 SavedModels, computed without TensorFlow (numpy float32 Keras forward pass).

Run from the repo root:
  /usr/bin/python3 tests/golden/models/make_predictions.py [MODELS_DIR] [--data FILE --out DIR [--compact]]
  (MODELS_DIR defaults to ../shared/reference/authors-models; FILE to tests/golden/data/synthetic-small.csv; DIR to this folder)
The real file's goldens (tests/golden/models/kaggle/) are made with
  /usr/bin/python3 tests/golden/models/make_predictions.py --data ../shared/data/dataset.csv --out tests/golden/models/kaggle --compact
Reads each SavedModel's config (keras_metadata.pb) and weights (variables.index SSTable + data shard) with its own small
readers, preprocesses FILE exactly as the notebooks (pandas + scikit-learn), and writes into DIR
  <Model>.predictions.csv  row_id,predicted,probability   (test split; predicted = genre name; probability = max softmax;
                                                        with --compact: one predictions.csv.gz for the five models,
                                                        row_id then <Model>.predicted,<Model>.probability (to 1e-6),
                                                        <Model>.tied_with (the runner-up when within 1e-5 of the top,
                                                        a float32 tie) per model: row ids once; byte-reproducible)
  <Model>.metrics.json     {"test_accuracy", "test_loss", "n"}  (loss = Keras 2.5 categorical cross-entropy: softmax caches its logits (_keras_logits), so evaluate uses
                                                        softmax_cross_entropy_with_logits, not the 1e-7-clipped probabilities;
                                                        with --data also "data_sha256", the sha256 of FILE)
"""
import argparse, gzip, hashlib, json, os, struct, sys
import numpy as np, pandas as pd
from sklearn.preprocessing import LabelEncoder, MinMaxScaler
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, os.path.join(HERE, '..'))
from make_golden import REPORT  # the report's genre merges

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i

def fields(b):
    i = 0
    while i < len(b):
        k, i = varint(b, i); f, t = k >> 3, k & 7
        if t == 0: v, i = varint(b, i)
        elif t == 2: l, i = varint(b, i); v = b[i:i + l]; i += l
        elif t == 5: v = struct.unpack('<I', b[i:i + 4])[0]; i += 4
        elif t == 1: v = struct.unpack('<Q', b[i:i + 8])[0]; i += 8
        else: raise ValueError(t)
        yield f, v

def block(b, off, size):
    data = b[off:off + size]
    nrest = struct.unpack('<I', data[-4:])[0]
    end, i, key = len(data) - 4 - 4 * nrest, 0, b''
    while i < end:
        sh, i = varint(data, i); ns, i = varint(data, i); vl, i = varint(data, i)
        key = key[:sh] + data[i:i + ns]; i += ns
        yield key.decode(), data[i:i + vl]; i += vl

CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8): c = (0x82F63B78 ^ (c >> 1)) if c & 1 else c >> 1
    CRC_TABLE.append(c)

def crc32c(data, crc=0):
    crc ^= 0xffffffff
    for b in data: crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc ^ 0xffffffff

def masked(crc): return (((crc >> 15) | (crc << 17)) + 0xa282ead8) & 0xffffffff

def bundle(vardir):
    """All entries of the checkpoint: key -> (dtype, shape, raw bytes), each checked against its masked crc32c."""
    idx = open(os.path.join(vardir, 'variables.index'), 'rb').read()
    shard = open(os.path.join(vardir, 'variables.data-00000-of-00001'), 'rb').read()
    assert struct.unpack('<Q', idx[-8:])[0] == 0xdb4775248b80fb57, 'not a table'
    foot, i = idx[-48:], 0
    _, i = varint(foot, i); _, i = varint(foot, i); io, i = varint(foot, i); isz, i = varint(foot, i)
    out = {}
    for _, h in block(idx, io, isz):
        ho, j = varint(h, 0); hs, j = varint(h, j)
        assert idx[ho + hs] == 0, 'compressed block'
        for key, val in block(idx, ho, hs):
            if not key: continue
            e = dict(fields(val))
            shape = [dict(fields(d)).get(1, 0) for f, d in fields(e.get(2, b'')) if f == 2]
            raw = shard[e.get(4, 0):e.get(4, 0) + e.get(5, 0)]
            if e.get(1) == 7:  # string: varint length, masked crc of the length (uint32), bytes
                n, p = varint(raw, 0)
                crc = crc32c(struct.pack('<I', n))
                assert struct.unpack('<I', raw[p:p + 4])[0] == masked(crc), key
                crc = crc32c(raw[p + 4:], crc32c(raw[p:p + 4], crc))
                raw = raw[p + 4:]
            else:
                crc = crc32c(raw)
            assert masked(crc) == e.get(6, 0), f'{key}: crc32c mismatch'
            out[key] = (e.get(1), shape, raw)
    return out

def object_graph(entries):
    """TrackableObjectGraph: per node, children {local_name: node_id} and attributes {name: checkpoint_key}."""
    nodes = []
    for f, node in fields(entries['_CHECKPOINTABLE_OBJECT_GRAPH'][2]):
        kids, attrs = {}, {}
        for g, v in fields(node):
            d = dict(fields(v))
            if g == 1: kids[d.get(2, b'').decode()] = d.get(1, 0)
            elif g == 2: attrs[d.get(1, b'').decode()] = d.get(3, b'').decode()
        nodes.append((kids, attrs))
    return nodes

def config(path):
    for f, node in fields(open(path, 'rb').read()):
        d = dict(fields(node))
        if d.get(3) == b'root':
            return json.loads(d[5])['config']

def weights_for(cfg, entries):
    """Each layer's weights, found as TensorFlow finds them: root -> layer-i -> [cell ->] weight -> VARIABLE_VALUE."""
    graph, layers = object_graph(entries), []
    for i, L in enumerate(l for l in cfg['layers'] if l['class_name'] != 'InputLayer'):
        cls, c = L['class_name'], L['config']
        names = {'Dense': ['kernel', 'bias'], 'LSTM': ['kernel', 'recurrent_kernel', 'bias']}.get(cls, [])
        node = graph[0][0][f'layer-{i}']
        if cls == 'LSTM': node = graph[node][0]['cell']
        ws = []
        for name in names:
            dtype, shape, raw = entries[graph[graph[node][0][name]][1]['VARIABLE_VALUE']]
            assert dtype == 1, name
            ws.append(np.frombuffer(raw, dtype='<f4').reshape(shape))
        layers.append((cls, c, ws))
    return layers

def sigmoid(x): return (1 / (1 + np.exp(-x))).astype(np.float32)

def forward(layers, x):
    h = x.astype(np.float32)
    for i, (cls, c, ws) in enumerate(layers):
        if cls == 'Dense':
            h = h @ ws[0] + ws[1]
            if c['activation'] == 'relu': h = np.maximum(h, 0)
            elif c['activation'] == 'softmax': logits = h; h = None
        elif cls == 'LSTM':
            W, U, b = ws; H = U.shape[0]; n, T, _ = h.shape
            hh = np.zeros((n, H), np.float32); cc = np.zeros((n, H), np.float32); seq = []
            for t in range(T):
                z = h[:, t, :] @ W + hh @ U + b
                i_, f_, g_, o_ = z[:, :H], z[:, H:2 * H], z[:, 2 * H:3 * H], z[:, 3 * H:]
                cc = sigmoid(f_) * cc + sigmoid(i_) * np.tanh(g_)
                hh = sigmoid(o_) * np.tanh(cc); seq.append(hh)
            h = np.stack(seq, 1) if c['return_sequences'] else hh
    return logits

def notebook_test_split(path, reduced, sequence):
    full = pd.read_csv(path)
    ids = full['Unnamed: 0'].to_numpy()
    full = full.drop(columns=['Unnamed: 0']); full['row_id'] = ids
    full = full[~full.drop(columns=['row_id']).isna().any(axis=1)]
    full = full[~full.drop(columns=['row_id']).duplicated()]
    row_ids = full['row_id'].to_numpy()
    full = full.drop(columns=['row_id', 'track_id', 'artists', 'album_name', 'track_name'])
    if reduced:
        for target, sources in REPORT.items(): full['track_genre'] = full['track_genre'].replace(sources, target)
    full['explicit'] = LabelEncoder().fit_transform(full['explicit'])
    enc = LabelEncoder(); y = enc.fit_transform(full['track_genre'])
    X = full.drop(columns=['track_genre']).to_numpy(np.float64)
    Xtf, Xte, ytf, yte, idtf, idte = train_test_split(X, y, row_ids, test_size=0.2, random_state=42)
    Xtr, Xva, ytr, yva = train_test_split(Xtf, ytf, test_size=0.2, random_state=42)
    s = MinMaxScaler().fit(Xtr)
    Xte = s.transform(Xte).astype(np.float32)
    return (Xte[:, :, None] if sequence else Xte), yte, idte, enc.classes_

MODELS = ('RNN1net', 'RNN2net', 'DNN1net', 'DNN2net', 'reducedRNNnet')

TIE = 1e-5  # the probability tolerance of the conformance tests: top two classes this close are a float32 tie

def write_compact(path, ids, per_model):
    """One gzip'd CSV for all models: row_id, then <Model>.predicted,<Model>.probability,<Model>.tied_with per model
    (probability to 1e-6; tied_with = the runner-up genre when it is within TIE of the top probability, else empty).
    The five models share the test split, so the row ids are stored once. mtime 0 and no name: same predictions, same bytes."""
    header = ','.join(['row_id'] + [f'{m}.{c}' for m in per_model for c in ('predicted', 'probability', 'tied_with')])
    cols = [[(names[i], f'{top[i]:.6f}', tied[i]) for i in range(len(ids))] for names, top, tied in per_model.values()]
    lines = [header] + [','.join([str(rid)] + [v for col in cols for v in col[r]]) for r, rid in enumerate(ids)]
    with open(path, 'wb') as raw, gzip.GzipFile(filename='', mode='wb', fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(('\n'.join(lines) + '\n').encode())

def main():
    ap = argparse.ArgumentParser(description='golden predictions of the authors\' SavedModels (numpy, no TensorFlow)')
    ap.add_argument('models_dir', nargs='?', default=os.path.join(REPO, '..', 'shared', 'reference', 'authors-models'))
    ap.add_argument('--data', help='Kaggle-format CSV (default: tests/golden/data/synthetic-small.csv)')
    ap.add_argument('--out', default=HERE, help='folder for the golden files (default: this folder)')
    ap.add_argument('--compact', action='store_true',
                    help='write one predictions.csv.gz for all models instead of <Model>.predictions.csv (for large test splits)')
    args = ap.parse_args()
    models_dir, out = args.models_dir, args.out
    data = args.data or os.path.join(REPO, 'tests', 'golden', 'data', 'synthetic-small.csv')
    extra = {'data_sha256': hashlib.sha256(open(data, 'rb').read()).hexdigest()} if args.data else {}
    os.makedirs(out, exist_ok=True)
    per_model, test_ids = {}, None
    for name in MODELS:
        d = os.path.join(models_dir, name)
        cfg = config(os.path.join(d, 'keras_metadata.pb'))
        layers = weights_for(cfg, bundle(os.path.join(d, 'variables')))
        sequence = len(cfg['layers'][0]['config']['batch_input_shape']['items']) == 3
        X, y, ids, classes = notebook_test_split(data, name.startswith('reduced'), sequence)
        logits = forward(layers, X).astype(np.float64)
        z = logits - logits.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        p = np.exp(logp)
        pred = p.argmax(1)
        acc = float((pred == y).mean()); loss = float(-logp[np.arange(len(y)), y].mean())
        if args.compact:
            assert test_ids is None or (test_ids == ids).all(), 'the models do not share a test split'
            order = np.argsort(-p, 1, kind='stable')
            second = p[np.arange(len(y)), order[:, 1]]
            tied = np.where(p.max(1) - second <= TIE, classes[order[:, 1]], '')
            test_ids = ids; per_model[name] = (classes[pred], p.max(1), tied)
        else:
            with open(os.path.join(out, f'{name}.predictions.csv'), 'w') as f:
                f.write('row_id,predicted,probability\n')
                for i, k, pr in zip(ids, pred, p.max(1)): f.write(f'{i},{classes[k]},{pr:.9g}\n')
        json.dump({'test_accuracy': acc, 'test_loss': loss, 'n': int(len(y)), **extra}, open(os.path.join(out, f'{name}.metrics.json'), 'w'))
        print(name, len(y), 'acc', acc, 'loss', loss)
    if args.compact: write_compact(os.path.join(out, 'predictions.csv.gz'), test_ids, per_model)

if __name__ == '__main__':
    main()
