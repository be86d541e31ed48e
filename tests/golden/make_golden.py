#!/usr/bin/python3
"""Golden outputs for Genre.Data, made with the real pandas / scikit-learn / numpy (Debian python3-pandas, -sklearn, -numpy).

Run from the repo root:  /usr/bin/python3 tests/golden/make_golden.py
Inputs: tests/golden/data/synthetic-*.csv (Kaggle format, made by `genre synth`).
Outputs per input X.csv and mapping (full | reduced), exactly the notebooks' steps:
  X.full.clean.txt        pandas' cleaned row ids (the unnamed index column), in order
  X.full.split.csv        row_id,subset for train/val/test in sklearn's order
  X.full.scaled.csv       row_id,subset,15 MinMax-scaled features as %.17g
  X.<mapping>.classes.txt LabelEncoder classes
  X.<mapping>.labels.txt  encoded labels (track_genre after the mapping) in train, val, test order
The reduced mapping changes only the labels: its clean/split/scaled outputs are checked to be identical to the full ones
and not written again (the C# tests compare the reduced pipeline with the X.full.* files).
and numpy vectors: permutations.txt (seed n perm...), numpy-random.txt (MT19937 state after seeding, raw 32-bit draws,
bounded draws on the 32- and 64-bit paths, digests of large permutations), minmax.txt (MinMaxScaler on edge cases), and the
report's genre mapping read from the authors' notebook: report-mapping.csv (source,target) and report-reduced-genres.txt.
"""
import ast, glob, json, os, re, sys
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
    return row_ids, enc.classes_, [('train', idtr, scaler.transform(Xtr), ytr), ('val', idva, scaler.transform(Xva), yva), ('test', idte, scaler.transform(Xte), yte)], scaler

NOTEBOOK = os.path.join(HERE, '..', '..', '..', 'shared', 'reference', 'notebooks', 'Spotify_Classification_reduce_genre.ipynb')

def report_mapping():
    """The notebook's .replace([...], 'target') calls, in order; checked against REPORT (the issue's list)."""
    if not os.path.exists(NOTEBOOK):
        print(f'note: {NOTEBOOK} not found; report-mapping.csv left as is'); return
    cells = json.load(open(NOTEBOOK))['cells']
    code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
    calls = [m for src in code for m in re.finditer(r"\.replace\((\[.*?\])\s*,\s*'([^']+)'\)", src, re.S)]
    pairs = [(s, m.group(2)) for m in calls for s in ast.literal_eval(m.group(1))]
    assert {t: [s for s, tt in pairs if tt == t] for t in dict.fromkeys(t for _, t in pairs)} == REPORT, 'notebook mapping differs from REPORT'
    # the notebook's printed outputs after the merge: the distinct genres (first-appearance order) and their count
    printed = None   # the last such cell is the one after the merge
    for c in cells:
        src = ''.join(c['source'])
        if c['cell_type'] == 'code' and src.strip().endswith("full_data['track_genre'].unique()"):
            for o in c.get('outputs', []):
                text = ''.join(o.get('data', {}).get('text/plain', []))
                if text.startswith('array('): printed = ast.literal_eval(text[len('array('):text.rindex(']') + 1])
    assert printed is not None and len(printed) == len(set(printed)) == 66, 'expected the 66 merged genres printed by the notebook'
    with open(os.path.join(HERE, 'data', 'report-mapping.csv'), 'w') as f:
        f.write('source,target\n' + ''.join(f'{s},{t}\n' for s, t in pairs))
    with open(os.path.join(HERE, 'data', 'report-reduced-genres.txt'), 'w') as f:
        f.write('\n'.join(printed) + '\n')
    print(f'report mapping: {len(pairs)} merges from the notebook; {len(printed)} genres printed after the merge')

def numpy_random():
    """Vectors for NumpyRandomState beyond permutations: seeding, raw draws, both bounded-integer paths, big permutations."""
    out = []
    for seed in (0, 1, 42, 5489, 2**31, 4294967295):
        rs = np.random.RandomState(seed)
        st = rs.get_state()
        out.append(f'state {seed} ' + ' '.join(map(str, st[1][:8])) + ' ' + ' '.join(map(str, st[1][-4:])))
        out.append(f'uint32 {seed} ' + ' '.join(map(str, np.random.RandomState(seed).randint(0, 2**32, size=1300, dtype=np.uint32)[[0, 1, 2, 3, 622, 623, 624, 625, 1247, 1248, 1299]])))
        for mx in (1, 6, 1000, 2**31 - 1, 2**32 - 2):
            out.append(f'interval {seed} {mx} ' + ' '.join(map(str, np.random.RandomState(seed).randint(0, mx + 1, size=12, dtype=np.uint64))))
        for mx in (2**32, 2**40 + 12345, 2**63 + 7):
            out.append(f'interval {seed} {mx} ' + ' '.join(map(str, np.random.RandomState(seed).randint(0, mx + 1, size=12, dtype=np.uint64))))
    for seed, n in ((42, 100000), (7, 113549), (3, 65537), (123456789, 250000)):
        p = np.random.RandomState(seed).permutation(n).astype(np.int64)
        digest = int(((np.arange(n, dtype=np.int64) + 1) * p % 1000000007).sum() % 1000000007)
        out.append(f'digest {seed} {n} {digest} ' + ' '.join(map(str, p[:10])) + ' ' + ' '.join(map(str, p[-10:])))
    from sklearn.model_selection._split import _validate_shuffle_split
    for ts in (0.1, 0.2, 0.25, 0.3, 1 / 3, 0.5, 0.9):
        def sizes(n):
            try: return ':'.join(str(int(v)) for v in _validate_shuffle_split(n, ts, None))
            except ValueError: return 'error'   # an empty train set
        out.append(f'sizes {ts!r} ' + ' '.join(f'{n}:{sizes(n)}' for n in list(range(1, 120)) + [999, 1001, 90839, 113549, 114000]))
    with open(os.path.join(HERE, 'data', 'numpy-random.txt'), 'w') as f:
        f.write('\n'.join(out) + '\n')

def minmax():
    """MinMaxScaler on edge cases: constant and near-constant columns (range < 10·eps), negatives, -0.0, wide ranges,
    and a second matrix outside the fitted range. Lines: fit/ scale/ min/ data_min/ data_max/ out rows as %.17g."""
    rnd = np.random.RandomState(3)
    eps = np.finfo(np.float64).eps
    cases = []
    a = rnd.uniform(-5, 5, size=(40, 8))
    a[:, 1] = 7.25                                        # constant
    a[:, 2] = 0.1 + np.where(np.arange(40) % 2 == 0, 0.0, eps)   # range ≈ 1.4e-17 < 10·eps → scale 1
    a[:, 3] = 1.0 + np.where(np.arange(40) % 2 == 0, 0.0, 16 * eps)  # range 16·eps > 10·eps → 1/range
    a[:, 4] = rnd.randint(30000, 600000, size=40)         # duration_ms-like integers
    a[:, 5] = np.where(np.arange(40) % 3 == 0, -0.0, rnd.uniform(0, 1e-6, size=40))
    a[:, 6] = rnd.uniform(-1e150, 1e150, size=40)
    a[:, 7] = rnd.randint(0, 2, size=40)                  # explicit / mode-like 0/1
    b = rnd.uniform(-10, 10, size=(15, 8)) * np.array([1, 1, 1, 1, 1e5, 1e-6, 1e150, 1])
    cases.append((a, b))
    c = rnd.uniform(0, 1, size=(1, 3))                   # a single row: every range is 0
    cases.append((c, rnd.uniform(-1, 2, size=(4, 3))))
    lines = []
    fmt = lambda v: ' '.join('%.17g' % x for x in v)
    for k, (fit, other) in enumerate(cases):
        s = MinMaxScaler().fit(fit)
        lines.append(f'case {k} {fit.shape[0]} {fit.shape[1]} {other.shape[0]}')
        lines += ['fit ' + fmt(r) for r in fit]
        lines += ['other ' + fmt(r) for r in other]
        for name in ('data_min_', 'data_max_', 'scale_', 'min_'):
            lines.append(name + ' ' + fmt(getattr(s, name)))
        lines += ['tfit ' + fmt(r) for r in s.transform(fit)]
        lines += ['tother ' + fmt(r) for r in s.transform(other)]
    with open(os.path.join(HERE, 'data', 'minmax.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')

def tabular(stem, parts, scaler):
    """X.full.tabular.csv: row_id,subset,33 columns of the tabular encoding (after the MinMaxScaler): QuantileTransformer
    (n_quantiles=1000, normal) on the 11 continuous features fit on train, explicit and mode passed through, OneHotEncoder
    with categories key 0..11 and time_signature 0..7 (handle_unknown='ignore')."""
    from sklearn.preprocessing import QuantileTransformer, OneHotEncoder
    feats = ['popularity', 'duration_ms', 'explicit', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness',
             'instrumentalness', 'liveness', 'valence', 'tempo', 'time_signature']
    binary = [feats.index('explicit'), feats.index('mode')]
    categorical = [feats.index('key'), feats.index('time_signature')]
    continuous = [i for i in range(15) if i not in binary + categorical]
    train = parts[0][2]
    q = QuantileTransformer(n_quantiles=1000, output_distribution='normal').fit(train[:, continuous])
    def raw(X):  # the integer columns' raw values, recovered from the scaled ones as Genre does
        return np.rint((X[:, categorical] - scaler.min_[categorical]) / scaler.scale_[categorical])
    onehot = OneHotEncoder(categories=[list(range(12)), list(range(8))], handle_unknown='ignore', sparse_output=False).fit(raw(train))
    with open(f'{stem}.full.tabular.csv', 'w') as f:
        for subset, ids, X, _ in parts:
            enc = np.hstack([q.transform(X[:, continuous]), X[:, binary], onehot.transform(raw(X))])
            for i, row in zip(ids, enc):
                f.write(f'{i},{subset},' + ','.join('%.17g' % v for v in row) + '\n')

def main():
    inputs = [p for p in glob.glob(os.path.join(HERE, 'data', 'synthetic-*.csv')) if '.' not in os.path.basename(p)[:-4]]
    for path in sorted(inputs):
        stem = path[:-4]
        full_parts = None
        for name, reduced in (('full', False), ('reduced', True)):
            row_ids, classes, parts, scaler = notebook(path, reduced)
            with open(f'{stem}.{name}.classes.txt', 'w') as f:
                f.write('\n'.join(classes) + '\n')
            with open(f'{stem}.{name}.labels.txt', 'w') as f:    # encoded labels in train, val, test order
                f.write(''.join(f'{v}\n' for _, _, _, y in parts for v in y))
            if reduced:
                assert all(a[0] == b[0] and (a[1] == b[1]).all() and (a[2] == b[2]).all() for a, b in zip(parts, full_parts))
                for old in ('clean.txt', 'split.csv', 'scaled.csv'):
                    if os.path.exists(f'{stem}.{name}.{old}'): os.remove(f'{stem}.{name}.{old}')
                print(f'{os.path.basename(stem)} {name}: {len(classes)} classes, same rows/split/features as full')
                continue
            full_parts = parts
            with open(f'{stem}.{name}.clean.txt', 'w') as f:
                f.write('\n'.join(str(i) for i in row_ids) + '\n')
            with open(f'{stem}.{name}.split.csv', 'w') as f:
                f.write('row_id,subset\n')
                for subset, ids, _, _ in parts:
                    for i in ids: f.write(f'{i},{subset}\n')
            with open(f'{stem}.{name}.scaled.csv', 'w') as f:
                for subset, ids, X, _ in parts:
                    for i, row in zip(ids, X):
                        f.write(f'{i},{subset},' + ','.join('%.17g' % v for v in row) + '\n')
            tabular(stem, parts, scaler)
            print(f'{os.path.basename(stem)} {name}: {len(row_ids)} clean rows, {len(classes)} classes, '
                  + ' / '.join(f'{s} {len(i)}' for s, i, _, _ in parts))
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
    report_mapping()
    numpy_random()
    minmax()
