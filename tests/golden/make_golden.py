#!/usr/bin/python3
"""Golden outputs for Genre.Data, made with the real pandas / scikit-learn / numpy (Debian python3-pandas, -sklearn, -numpy).

Run from the repo root:  /usr/bin/python3 tests/golden/make_golden.py
Inputs: tests/golden/data/synthetic-*.csv (Kaggle format, made by `genre synth`).
Outputs per input X.csv and mapping (full | reduced), exactly the notebooks' steps:
  X.<mapping>.clean.txt   pandas' cleaned row ids (the unnamed index column), in order
  X.<mapping>.split.csv   row_id,subset for train/val/test in sklearn's order
  X.<mapping>.scaled.csv  row_id,subset,15 MinMax-scaled features as %.17g
  X.<mapping>.classes.txt LabelEncoder classes
and numpy vectors: permutations.txt (seed n perm...).
"""
import glob, os, sys
import numpy as np, pandas as pd
from sklearn.preprocessing import LabelEncoder, MinMaxScaler
from sklearn.model_selection import train_test_split

HERE = os.path.dirname(os.path.abspath(__file__))

REPORT = {
    'pop': ['cantopop', 'indie-pop', 'j-pop', 'k-pop', 'pop-film', 'power-pop', 'synth-pop', 'mandopop', 'mpb'],
    'country': ['honky-tonk'],
    'rock': ['psych-rock', 'punk-rock', 'rock-n-roll', 'rockabilly', 'alt-rock', 'black-metal', 'death-metal', 'grindcore', 'grunge',
             'hard-rock', 'hardcore', 'heavy-metal', 'j-rock', 'metal', 'metalcore', 'punk'],
    'house': ['chicago-house', 'progressive-house', 'deep-house'],
    'dance': ['club', 'dancehall', 'detroit-techno', 'disco', 'dub', 'dubstep', 'edm', 'electro', 'groove', 'hardstyle', 'hip-hop', 'j-dance',
              'minimal-techno', 'party', 'samba', 'salsa', 'tango', 'techno', 'trance'],
}

def notebook(path, reduced):
    full = pd.read_csv(path)
    ids = full['Unnamed: 0']
    full = full.drop(columns=['Unnamed: 0'])
    full['row_id'] = ids            # kept aside, not a feature (dropped below before duplicates are judged)
    keep = ~full.drop(columns=['row_id']).isna().any(axis=1)
    full = full[keep]
    dup = full.drop(columns=['row_id']).duplicated()
    full = full[~dup]
    row_ids = full['row_id'].to_numpy()
    full = full.drop(columns=['row_id', 'track_id', 'artists', 'album_name', 'track_name'])
    if reduced:
        for target, sources in REPORT.items():
            full['track_genre'] = full['track_genre'].replace(sources, target)
    full['explicit'] = LabelEncoder().fit_transform(full['explicit'])
    enc = LabelEncoder()
    full['track_genre'] = enc.fit_transform(full['track_genre'])
    X = full.drop(columns=['track_genre']).to_numpy(dtype=np.float64)
    y = full['track_genre'].to_numpy()
    Xtf, Xte, ytf, yte, idtf, idte = train_test_split(X, y, row_ids, test_size=0.2, random_state=42)
    Xtr, Xva, ytr, yva, idtr, idva = train_test_split(Xtf, ytf, idtf, test_size=0.2, random_state=42)
    scaler = MinMaxScaler().fit(Xtr)
    return row_ids, enc.classes_, [('train', idtr, scaler.transform(Xtr)), ('val', idva, scaler.transform(Xva)), ('test', idte, scaler.transform(Xte))]

def main():
    inputs = [p for p in glob.glob(os.path.join(HERE, 'data', 'synthetic-*.csv')) if '.' not in os.path.basename(p)[:-4]]
    for path in sorted(inputs):
        stem = path[:-4]
        for name, reduced in (('full', False), ('reduced', True)):
            row_ids, classes, parts = notebook(path, reduced)
            with open(f'{stem}.{name}.clean.txt', 'w') as f:
                f.write('\n'.join(str(i) for i in row_ids) + '\n')
            with open(f'{stem}.{name}.classes.txt', 'w') as f:
                f.write('\n'.join(classes) + '\n')
            with open(f'{stem}.{name}.split.csv', 'w') as f:
                f.write('row_id,subset\n')
                for subset, ids, _ in parts:
                    for i in ids: f.write(f'{i},{subset}\n')
            with open(f'{stem}.{name}.scaled.csv', 'w') as f:
                for subset, ids, X in parts:
                    for i, row in zip(ids, X):
                        f.write(f'{i},{subset},' + ','.join('%.17g' % v for v in row) + '\n')
            print(f'{os.path.basename(stem)} {name}: {len(row_ids)} clean rows, {len(classes)} classes, '
                  + ' / '.join(f'{s} {len(i)}' for s, i, _ in parts))
    with open(os.path.join(HERE, 'data', 'permutations.txt'), 'w') as f:
        for seed in (0, 1, 2, 42, 12345, 4294967295):
            for n in (1, 2, 5, 7, 10, 20, 100, 1000):
                f.write(f'{seed} {n} ' + ' '.join(map(str, np.random.RandomState(seed).permutation(n))) + '\n')
    with open(os.path.join(HERE, 'data', 'large-splits.txt'), 'w') as f:
        for n in (113549, 90839, 70000):
            tr, te = train_test_split(np.arange(n), test_size=0.2, random_state=42)
            f.write(f'{n} test {len(te)} ' + ' '.join(map(str, te[:50])) + ' last ' + str(te[-1]) + '\n')
            f.write(f'{n} train {len(tr)} ' + ' '.join(map(str, tr[:50])) + ' last ' + str(tr[-1]) + '\n')

def float_repr_vectors():
    import random, struct
    rnd = random.Random(1)
    vals = [0.0, -0.0, 1.0, 123.0, 1e16, 1e15, 123456789012345.6, 1.01e-06, 0.0001, 0.00012, 1e-05, -5.3, 0.5, 0.676, -6.746,
            230666.0, 1e-300, 5e-324, 1.7976931348623157e308, 2.5e-05, 0.1, 0.30000000000000004, 99.9999, 1234567.0, 9.999999999999999e15]
    vals += [rnd.uniform(-1, 1) * 10 ** rnd.randint(-12, 20) for _ in range(300)]
    vals += [round(rnd.random(), rnd.randint(0, 6)) for _ in range(100)]
    with open(os.path.join(HERE, 'data', 'python_float_repr.txt'), 'w') as f:
        for v in vals: f.write(struct.pack('<d', v).hex() + ' ' + repr(v) + '\n')

if __name__ == '__main__':
    float_repr_vectors()
    main()
