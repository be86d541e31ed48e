#!/usr/bin/python3
"""PyTorch CPU peer: the same models, batch and thread count as bench/Genre.Bench `train`; one timed epoch each, after a
one-batch warm-up. Prints "MODEL SECONDS" lines. The BLAS is whatever libblas.so.3 the loader finds (run.sh runs it twice)."""
import sys, time
import torch, torch.nn as nn

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
only = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else {"rnn1", "rnn2", "dnn1"}
torch.set_num_threads(threads)
TRAIN, VAL, BATCH = 72_671, 18_168, 10_000

class Rnn1(nn.Module):
    def __init__(s): super().__init__(); s.d = nn.Linear(1, 250); s.l = nn.LSTM(250, 80, batch_first=True); s.o = nn.Linear(80, 114)
    def forward(s, x): return s.o(s.l(s.d(x))[0][:, -1])
class Rnn2(nn.Module):
    def __init__(s): super().__init__(); s.l1 = nn.LSTM(1, 80, batch_first=True); s.l2 = nn.LSTM(80, 150, batch_first=True); s.o = nn.Linear(150, 114)
    def forward(s, x): return s.o(s.l2(s.l1(x)[0])[0][:, -1])
def dnn1():
    return nn.Sequential(nn.Linear(15, 100), nn.ReLU(), nn.Linear(100, 150), nn.ReLU(), nn.Linear(150, 150), nn.ReLU(), nn.Linear(150, 150), nn.ReLU(), nn.Linear(150, 114))

def epoch(model, seq):
    shape = (-1, 15, 1) if seq else (-1, 15)
    x = torch.rand(TRAIN, 15).reshape(shape); y = torch.arange(TRAIN) % 114
    xv = torch.rand(VAL, 15).reshape(shape); yv = torch.arange(VAL) % 114
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss = nn.CrossEntropyLoss()
    def run(rows=TRAIN):
        perm = torch.randperm(TRAIN)
        for b in range(0, rows, BATCH):
            i = perm[b:b + BATCH]; opt.zero_grad(); l = loss(model(x[i]), y[i]); l.backward(); opt.step()
        with torch.no_grad():
            for b in range(0, VAL if rows == TRAIN else 0, BATCH): loss(model(xv[b:b + BATCH]), yv[b:b + BATCH])
    run(BATCH)
    t = time.perf_counter(); run(); return time.perf_counter() - t

for name, model, seq in (("rnn1", Rnn1(), True), ("rnn2", Rnn2(), True), ("dnn1", dnn1(), False)):
    if name not in only: continue
    print(f"{name} {epoch(model, seq):.3f}", flush=True)
