#!/usr/bin/env bash
# Training speed: Genre (TorchSharp) vs the FLOP floor and vs a PyTorch CPU peer, same models/batch/threads, one run.
# Writes bench/results/training.md. Usage: bench/training/run.sh [THREADS] [PEER_MODELS] [REFERENCE_BLAS_MODELS]
#   PEER_MODELS (default rnn1,rnn2,dnn1) run on PyTorch with OpenBLAS; REFERENCE_BLAS_MODELS (default rnn1,dnn1) also run on
#   Debian's default libblas3 (netlib reference BLAS, what python3-torch uses out of the box; ~20 s per RNN1 batch, so RNN2
#   is left out by default). OpenBLAS is unpacked from Debian's libopenblas0-pthread into bench/training/.openblas and
#   loaded through LD_LIBRARY_PATH for the peer only; the system's BLAS alternative is not changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
T="${1:-$(nproc)}"
PEER_MODELS="${2:-rnn1,rnn2,dnn1}"
REF_MODELS="${3:-rnn1,dnn1}"
/usr/bin/python3 -c "import torch" 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null; }
OB=bench/training/.openblas
if [ ! -f "$OB/lib/libblas.so.3" ]; then
  rm -rf "$OB" && mkdir -p "$OB/deb"
  (cd "$OB/deb" && apt-get download -qq libopenblas0-pthread 2>/dev/null) && dpkg -x "$OB"/deb/*.deb "$OB/root"
  mkdir -p "$OB/lib" && cp -a "$OB"/root/usr/lib/x86_64-linux-gnu/openblas-pthread/* "$OB/lib/"
fi
dotnet build bench/Genre.Bench -c Release -v q >/dev/null
dotnet bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll train "$T" ../shared/reference/authors-models bench/results/training.md
openblas=$(LD_LIBRARY_PATH="$PWD/$OB/lib" OPENBLAS_NUM_THREADS="$T" /usr/bin/python3 bench/training/peer.py "$T" "$PEER_MODELS")
reference=$(/usr/bin/python3 bench/training/peer.py "$T" "$REF_MODELS")
{
  echo; echo "## PyTorch $(/usr/bin/python3 -c 'import torch;print(torch.__version__)') CPU peer (Debian python3-torch; same batch, same $T threads, same run)"; echo
  echo "Debian's python3-torch calls the system BLAS. Out of the box that is libblas3, the netlib reference BLAS; with Debian's"
  echo "OpenBLAS (libopenblas0-pthread) it is several times faster. Both are measured; timed epoch after a one-batch warm-up."; echo
  echo "| model | Genre epoch s | PyTorch + OpenBLAS s | speed-up | PyTorch + reference BLAS s | speed-up |"; echo "|---|---|---|---|---|---|"
  for m in ${PEER_MODELS//,/ }; do
    g=$(grep "^| $m epoch" bench/results/training.md | awk -F'|' '{print $3}' | tr -d ' ')
    o=$(echo "$openblas" | awk -v m=$m '$1==m{print $2}')
    r=$(echo "$reference" | awk -v m=$m '$1==m{print $2}')
    ratio() { [ -n "$2" ] && awk -v g="$1" -v p="$2" 'BEGIN{printf "%.1f×", p/g}' || echo "not run"; }
    echo "| $m | $g | ${o:-not run} | $(ratio "$g" "$o") | ${r:-not run} | $(ratio "$g" "$r") |"
  done
} >> bench/results/training.md
cat bench/results/training.md
