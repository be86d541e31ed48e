#!/usr/bin/env bash
# Copy the finished part of a paper-profile run folder (default /work/runs/paper) into results/kaggle/paper, then let genre
# re-score every seed folder and rewrite the mean ± sd report there, and refresh the fast report's paper column.
# Usage: results/kaggle/sync-paper.sh [RUN_DIR] [DATA]   (run from the repository root with an up-to-date Release build)
set -euo pipefail
run=${1:-/work/runs/paper}
data=${2:-${GENRE_DATA:-../shared/data/dataset.csv}}
genre=(dotnet src/Genre.Cli/bin/Release/net10.0/linux-x64/genre.dll)
# only experiment folders with a finished marker travel; checkpoints never do
for marker in "$run"/seed-*/*/settings.json; do
  [ -e "$marker" ] || continue
  exp=$(dirname "$marker"); rel=${exp#"$run"/}
  mkdir -p "results/kaggle/paper/$rel"
  # the files the finished marker vouches for (weights.safetensors or, from older builds, weights.bin; preprocessing.json when written)
  for f in model.json history.json metrics.json settings.json weights.safetensors weights.bin preprocessing.json; do
    [ -e "$exp/$f" ] && cp "$exp/$f" "results/kaggle/paper/$rel/"
  done
  rm -rf "results/kaggle/paper/$rel/checkpoints"
done
"${genre[@]}" reproduce --profile paper --collect --out results/kaggle/paper --data "$data" --threads 1
"${genre[@]}" reproduce --profile fast --out results/kaggle/fast --data "$data" --threads 1 > /dev/null
