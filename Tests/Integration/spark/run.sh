#!/usr/bin/env bash
# Integration test: Crible driven by Apache Spark (local[2]) labels 200,000 messages of the
# message mix exactly as one `crible label` process does, line for line; and naive-Bayes models
# trained per partition and merged label exactly as the model trained on the whole corpus.
#
# usage: Tests/Integration/spark/run.sh [DATASETS_DIR]
# Needs Java 17 and Python 3; installs pyspark into a throwaway virtual environment
# (SPARK_VENV, default /tmp/crible-spark-venv) when `import pyspark` fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
datasets=${1:-$root/../shared/datasets}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=python3
if ! "$python" -c 'import pyspark' 2>/dev/null; then
  venv=${SPARK_VENV:-/tmp/crible-spark-venv}
  if ! "$venv/bin/python" -c 'import pyspark' 2>/dev/null; then
    echo "installing pyspark into $venv ..." >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet pyspark
  fi
  python=$venv/bin/python
fi
[ -d "$datasets" ] || { echo "no datasets at $datasets" >&2; exit 1; }
swift build -c release --package-path "$root" --product crible >&2
crible=$root/.build/release/crible
model=$root/Models/offensive-zh-fr.crible

# 200,000 messages of the mix, drawn as ../shared/tools/peers/throughput.py draws it.
python3 "$root/Scripts/message-mix.py" "$datasets" "$work/mix.txt" 200000
lines=$(wc -l <"$work/mix.txt")

start=$(date +%s.%N)
"$crible" label -m "$model" --with-text --threads 2 "$work/mix.txt" >"$work/expected.txt"
single=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")

start=$(date +%s.%N)
"$python" "$root/Scripts/spark/crible_spark.py" --crible "$crible" --master 'local[2]' \
  --partitions 4 label --model "$model" "$work/mix.txt" "$work/spark-out"
spark=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
cat "$work"/spark-out/part-* >"$work/spark.txt"
if cmp -s "$work/expected.txt" "$work/spark.txt"; then
  echo "labelling: $lines messages, Spark local[2] output identical to one crible label process ($spark s against $single s)"
else
  echo "labelling: Spark output DIFFERS from crible label" >&2
  diff <(head -c 2000 "$work/expected.txt") <(head -c 2000 "$work/spark.txt") >&2 || true
  exit 1
fi

# Training per partition and merging: identical to training on the whole corpus.
train=$datasets/zh-cold-offensive/train.tsv
test=$datasets/zh-cold-offensive/test.tsv
start=$(date +%s.%N)
"$python" "$root/Scripts/spark/crible_spark.py" --crible "$crible" --master 'local[2]' \
  --partitions 4 train --labels offensive,safe "$train" "$work/merged.crible"
merged_time=$(python3 -c "print(f'{$(date +%s.%N) - $start:.2f}')")
"$crible" train "$train" -o "$work/whole.crible" --algorithm naive-bayes --max-features 0 \
  --alpha 0.3 --labels offensive,safe 2>/dev/null
cut -f2 "$test" >"$work/test.txt"
"$crible" label -m "$work/whole.crible" "$work/test.txt" >"$work/whole.out"
"$crible" label -m "$work/merged.crible" "$work/test.txt" >"$work/merged.out"
if cmp -s "$work/whole.out" "$work/merged.out"; then
  echo "merging: 4 partition models merged ($merged_time s) label the $(wc -l <"$work/test.txt") test messages exactly as the whole-corpus model"
else
  echo "merging: merged model DIFFERS from the whole-corpus model" >&2
  exit 1
fi
