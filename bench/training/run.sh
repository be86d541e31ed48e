#!/usr/bin/env bash
# Training speed: Genre (TorchSharp) vs the FLOP floor and vs a PyTorch CPU peer, same models/batch/threads, one run.
# Writes bench/results/training.md. Usage: bench/training/run.sh [THREADS] [MODELS for the peer, default rnn1,rnn2,dnn1]
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
/usr/bin/python3 -c "import torch" 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; }
dotnet build bench/Genre.Bench -c Release -v q >/dev/null
dotnet bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll train "$T" ../shared/reference/authors-models bench/results/training.md
PEER_MODELS="${2:-rnn1,rnn2,dnn1}"
peer=$(/usr/bin/python3 bench/training/peer.py "$T" "$PEER_MODELS")
{
  echo; echo "## PyTorch $(/usr/bin/python3 -c 'import torch;print(torch.__version__)') CPU peer (same batch, same $T threads, same run)"; echo
  echo "| model | Genre epoch s | PyTorch epoch s | speed-up |"; echo "|---|---|---|---|"
  for m in ${PEER_MODELS//,/ }; do
    g=$(grep "^| $m epoch" bench/results/training.md | awk -F'|' '{print $3}' | tr -d ' ')
    p=$(echo "$peer" | awk -v m=$m '$1==m{print $2}')
    echo "| $m | $g | $p | $(awk -v g="$g" -v p="$p" 'BEGIN{printf "%.2f×", p/g}') |"
  done
} >> bench/results/training.md
cat bench/results/training.md
