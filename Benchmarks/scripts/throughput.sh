#!/usr/bin/env bash
# Labelling throughput beside the peers, in one run: `crible label` (file to file, every
# normalisation step included) against fastText's predict and scikit-learn's
# HashingVectorizer + LogisticRegression on the 1,000,000-message mix, and the peak memory of
# labelling a file of about 1 GB.
#
# usage: Benchmarks/scripts/throughput.sh [DATASETS_DIR] [PYTHON] [WORK_DIR]
#
# PYTHON must have scikit-learn and fastText (a venv made as ../shared/docs/peers.md shows);
# ../shared/tools/peers/throughput.py writes the mix into WORK_DIR (default /tmp/crible-mix) and
# times the peers. Crible then trains logistic regression on zh-cold-offensive (as the peers do)
# and labels the same mix with 1 and 2 threads, best of three runs each. Prints Markdown.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
datasets=${1:-$here/../shared/datasets}
python=${2:-python3}
work=${3:-/tmp/crible-mix}
crible=$here/.build/release/crible
peers=$(dirname "$datasets")/tools/peers/throughput.py
[ -x "$crible" ] || swift build -c release --package-path "$here" --product crible >&2
mkdir -p "$work"

echo "running the peers (throughput.py) ..." >&2
"$python" "$peers" "$datasets" "$work" | tee "$work/peers.jsonl" >&2
fasttext=$("$python" -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("system") == "fasttext-predict": print(d["msgs_per_s"])' "$work/peers.jsonl")
sklearn=$("$python" -c 'import json,sys
for l in open(sys.argv[1]):
    d = json.loads(l)
    if d.get("system") == "sklearn-hashing-logreg": print(d["msgs_per_s"])' "$work/peers.jsonl")

"$crible" train --algorithm logistic-regression "$datasets/zh-cold-offensive/train.tsv" -o "$work/zh-cold-lr.crible" 2>/dev/null
lines=$(wc -l <"$work/mix.txt")
megabytes=$(($(stat -c %s "$work/mix.txt") / 1000000))
best() { # threads → best seconds of three runs, file to file
  local best=999999
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$crible" label -m "$work/zh-cold-lr.crible" "$work/mix.txt" -o "$work/labels-$1.txt" --threads "$1"
    end=$(date +%s.%N)
    best=$(python3 -c "print(min($best, $end - $start))")
  done
  echo "$best"
}
one=$(best 1)
two=$(best 2)
cmp -s "$work/labels-1.txt" "$work/labels-2.txt" && same=yes || same=NO

# Peak memory on about 1 GB: the mix repeated.
big=$work/mix-1gb.txt
if [ ! -f "$big" ]; then
  : >"$big"
  while [ "$(stat -c %s "$big")" -lt 1000000000 ]; do cat "$work/mix.txt" >>"$big"; done
fi
peak=$( { /usr/bin/time -f '%M' "$crible" label -m "$work/zh-cold-lr.crible" "$big" -o /dev/null --threads 2; } 2>&1 | tail -1)
model=$(stat -c %s "$work/zh-cold-lr.crible")

python3 - "$lines" "$megabytes" "$one" "$two" "$fasttext" "$sklearn" "$same" "$peak" "$model" "$(stat -c %s "$big")" <<'PY'
import sys
lines, mb, one, two, ft, sk, same, peak, model, big = sys.argv[1:]
lines, mb, one, two, ft, sk = int(lines), int(mb), float(one), float(two), int(ft), int(sk)
print(f"Message mix: {lines:,} messages, {mb} MB; model: logistic regression on zh-cold-offensive.\n")
print("| system | messages / second | × fastText | × scikit-learn |")
print("|---|---|---|---|")
print(f"| fastText predict (1 thread, pre-tokenised, in memory) | {ft:,} | 1.0 | {ft / sk:.1f} |")
print(f"| scikit-learn hashing + LogisticRegression (1 thread, in memory) | {sk:,} | {sk / ft:.2f} | 1.0 |")
for threads, seconds in ((1, one), (2, two)):
    rate = lines / seconds
    print(f"| crible label, {threads} thread{'s' if threads > 1 else ''}, file to file ({seconds:.2f} s) | {rate:,.0f} | {rate / ft:.1f} | {rate / sk:.1f} |")
print(f"\nOutput identical for 1 and 2 threads: {same}.")
limit = int(model) + 256 * 2**20
print(f"Peak resident memory labelling {int(big) / 1e9:.2f} GB with 2 threads: {int(peak) / 1024:.0f} MiB "
      f"(model {int(model) / 2**20:.1f} MiB + 256 MiB = {limit / 2**20:.0f} MiB allowed): {'within' if int(peak) * 1024 <= limit else 'OVER'}.")
PY
