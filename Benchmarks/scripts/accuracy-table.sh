#!/usr/bin/env bash
# Trains every Crible algorithm with default settings on every corpus of the accuracy table in
# ../shared/docs/peers.md and prints a Markdown table: test accuracy / macro-F1 and training
# seconds, beside the best peer's figures from peers.md (bold there).
#
# usage: Benchmarks/scripts/accuracy-table.sh [DATASETS_DIR] [CRIBLE_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
datasets=${1:-$here/../shared/datasets}
crible=${2:-$here/.build/release/crible}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# corpus, train, test, best peer accuracy / macro-F1 (peers.md)
corpora=(
  "zh-cold-offensive|train.tsv|test.tsv|.799 / .795"
  "zh-swsr-sexism|train.tsv|test.tsv|.800 / .776"
  "zh-spam-sms|train.tsv|test.tsv|.949 / .948"
  "zh-weibo-rumor|train.tsv|test.tsv|.891 / .889"
  "zh-danmaku-sentiment|train.tsv|test.tsv|.957 / .954"
  "zh-video-queries|train.tsv|test.tsv|.663 / .529"
  "fr-hate-superset|train.tsv|test.tsv|.825 / .734"
  "fr-mlma-toxic|train.tsv|test.tsv|.719 / .584"
  "fr-toxifrench|train.tsv|test.tsv|.676 / .674"
  "fr-sms-spam-mt|train.tsv|test.tsv|.992 / .982"
  "multi-mhc-hate (fr)|train.fr.tsv|test.fr.tsv|.791 / .756"
  "multi-mhc-hate (zh)|train.zh.tsv|test.zh.tsv|.804 / .780"
  "multi-sib200-topic (fr)|train.fr.tsv|test.fr.tsv|.730 / .699"
  "multi-sib200-topic (zh)|train.zh.tsv|test.zh.tsv|.804 / .774"
)
algorithms=(logistic-regression naive-bayes complement-naive-bayes)

echo "| corpus | best peer (peers.md) | $(printf '%s | ' "${algorithms[@]}")best Crible macro-F1 − best peer |"
echo "|---|---|$(printf -- '---|%.0s' "${algorithms[@]}")---|"
for entry in "${corpora[@]}"; do
  IFS='|' read -r name train test peer <<<"$entry"
  folder=${name%% (*}
  row="| $name | $peer |"
  best=0
  for algorithm in "${algorithms[@]}"; do
    start=$(date +%s.%N)
    "$crible" train "$datasets/$folder/$train" -o "$work/m.crible" --algorithm "$algorithm" 2>/dev/null
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    read -r accuracy f1 < <("$crible" evaluate -m "$work/m.crible" "$datasets/$folder/$test" --json |
      python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.3f %.3f" % (d["accuracy"], d["macro_f1"]))')
    row+=" ${accuracy#0} / ${f1#0} ($(printf '%.1f' "$seconds") s) |"
    best=$(python3 -c "print(max($best, $f1))")
  done
  peer_f1=${peer##*/ }
  row+=" $(python3 -c "print('%+.3f' % ($best - float('0$peer_f1')))") |"
  echo "$row"
done
