#!/usr/bin/env bash
# Inference throughput: genre's forward pass (as `genre predict` runs it) vs ONNX Runtime on the graph `genre export` writes,
# the five authors' models on the test split, same run, same threads; and genre predict end to end in process.
# Writes bench/results/inference.md. Usage: bench/inference/run.sh [THREADS] [DATA]
#   DATA defaults to the data lookup ($GENRE_DATA, data/dataset.csv, else the generated synthetic file).
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
dotnet build bench/Genre.Bench -c Release -v q >/dev/null
if [ $# -ge 2 ]; then
  dotnet bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll infer "$T" ../shared/reference/authors-models "$2" bench/results/inference.md
else
  dotnet bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll infer "$T" ../shared/reference/authors-models
fi
