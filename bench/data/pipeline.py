#!/usr/bin/python3
"""pandas + scikit-learn timing of the report's preprocessing (load, clean, encode, split ×2, MinMax), median of N runs."""
import sys, time, statistics
import numpy as np, pandas as pd
from sklearn.preprocessing import LabelEncoder, MinMaxScaler
from sklearn.model_selection import train_test_split

def once(path):
    full = pd.read_csv(path)
    full.drop(columns=['Unnamed: 0'], inplace=True)
    full.dropna(inplace=True)
    full.drop_duplicates(inplace=True)
    full.drop(columns=['track_id', 'artists', 'album_name', 'track_name'], inplace=True)
    full['explicit'] = LabelEncoder().fit_transform(full['explicit'])
    full['track_genre'] = LabelEncoder().fit_transform(full['track_genre'])
    X = full.drop(columns=['track_genre']).to_numpy(np.float64); y = full['track_genre'].to_numpy()
    Xtf, Xte, ytf, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    Xtr, Xva, ytr, yva = train_test_split(Xtf, ytf, test_size=0.2, random_state=42)
    s = MinMaxScaler().fit(Xtr); s.transform(Xtr); s.transform(Xva); s.transform(Xte)
    return len(Xtr), len(Xva), len(Xte)

path, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
times = []
for _ in range(reps):
    t = time.perf_counter(); sizes = once(path); times.append(time.perf_counter() - t)
print(f"pandas {statistics.median(times):.4f} {sizes}")
