#!/usr/bin/env bash
# Data pipeline: C# (Genre.Data) vs pandas + scikit-learn on the same file, same run. Writes bench/results/data.md.
# Usage: bench/data/run.sh [FILE] [REPS]   (FILE defaults to $GENRE_DATA, else the default synthetic file)
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c "import pandas, sklearn" 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pandas python3-sklearn python3-numpy >/dev/null
fi
dotnet build bench/Genre.Bench -c Release -v q >/dev/null
BENCH="dotnet bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll"
FILE="${1:-${GENRE_DATA:-}}"
if [ -z "$FILE" ]; then
  FILE=out/synthetic/dataset-synthetic-seed42.csv
  [ -f "$FILE" ] || dotnet src/Genre.Cli/bin/Release/net10.0/linux-x64/genre.dll synth --out "$FILE" >/dev/null
fi
REPS="${2:-7}"
py=$(/usr/bin/python3 bench/data/pipeline.py "$FILE" "$REPS")
cs=$($BENCH data "$FILE" "$REPS")
pt=$(echo "$py" | awk '{print $2}'); ct=$(echo "$cs" | awk '{print $2}')
ratio=$(awk -v c="$ct" -v p="$pt" 'BEGIN{printf "%.2f", c/p}')
mkdir -p bench/results
cat > bench/results/data.md <<MD
# Data pipeline: Genre.Data vs pandas + scikit-learn

File: \`$FILE\` ($(wc -l < "$FILE") lines), median of $REPS runs each, same machine, same run ($(date -u +%F)).
Steps: read CSV, drop index, dropna, drop_duplicates, drop text columns, LabelEncoder ×2, train_test_split ×2, MinMaxScaler fit+transform.

| implementation | median seconds | train / val / test |
|---|---|---|
| pandas $(/usr/bin/python3 -c 'import pandas;print(pandas.__version__)') + scikit-learn $(/usr/bin/python3 -c 'import sklearn;print(sklearn.__version__)') | $pt | $(echo "$py" | cut -d' ' -f3-) |
| Genre.Data (C#) | $ct | $(echo "$cs" | cut -d' ' -f3-) |

Ratio C# / pandas: **$ratio×** (goal ≤ 0.5×).
MD
cat bench/results/data.md
