#!/usr/bin/env bash
# Trains every Crible algorithm with default settings on every corpus of the accuracy table in
# ../shared/docs/peers.md and prints a Markdown table of test accuracy / macro-F1 and training
# seconds. With a PYTHON that has scikit-learn and fastText (a venv made as peers.md shows), the
# peers run in the same session, beside Crible, through ../shared/tools/peers/baselines.py;
# otherwise the table quotes peers.md's best figures.
#
# usage: Benchmarks/scripts/accuracy-table.sh [DATASETS_DIR] [PYTHON]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
datasets=${1:-$here/../shared/datasets}
python=${2:-}
crible=${CRIBLE:-$here/.build/release/crible}
baselines=$(dirname "$datasets")/tools/peers/baselines.py
[ -x "$crible" ] || swift build -c release --package-path "$here" --product crible >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
peers=false
if [ -n "$python" ] && "$python" -c 'import sklearn, fasttext' 2>/dev/null && [ -f "$baselines" ]; then
  peers=true
fi

# corpus, language, train, test, best peer accuracy / macro-F1 in peers.md
corpora=(
  "zh-cold-offensive|zh|train.tsv|test.tsv|.799 / .795"
  "zh-swsr-sexism|zh|train.tsv|test.tsv|.800 / .776"
  "zh-spam-sms|zh|train.tsv|test.tsv|.949 / .948"
  "zh-weibo-rumor|zh|train.tsv|test.tsv|.891 / .889"
  "zh-danmaku-sentiment|zh|train.tsv|test.tsv|.957 / .954"
  "zh-video-queries|zh|train.tsv|test.tsv|.663 / .529"
  "fr-hate-superset|fr|train.tsv|test.tsv|.825 / .734"
  "fr-mlma-toxic|fr|train.tsv|test.tsv|.719 / .584"
  "fr-toxifrench|fr|train.tsv|test.tsv|.676 / .674"
  "fr-sms-spam-mt|fr|train.tsv|test.tsv|.992 / .982"
  "multi-mhc-hate (fr)|fr|train.fr.tsv|test.fr.tsv|.791 / .756"
  "multi-mhc-hate (zh)|zh|train.zh.tsv|test.zh.tsv|.804 / .780"
  "multi-sib200-topic (fr)|fr|train.fr.tsv|test.fr.tsv|.730 / .699"
  "multi-sib200-topic (zh)|zh|train.zh.tsv|test.zh.tsv|.804 / .774"
)
algorithms=(linear-svm logistic-regression naive-bayes complement-naive-bayes embeddings)
systems=(sklearn-MultinomialNB sklearn-ComplementNB sklearn-LogReg fasttext)

header="| corpus |"
rule="|---|"
for algorithm in "${algorithms[@]}"; do header+=" Crible $algorithm |"; rule+="---|"; done
if $peers; then
  for system in "${systems[@]}"; do header+=" $system |"; rule+="---|"; done
else
  header+=" best peer (peers.md) |"
  rule+="---|"
fi
header+=" best Crible macro-F1 − best peer |"
rule+="---|"
echo "$header"
echo "$rule"
for entry in "${corpora[@]}"; do
  IFS='|' read -r name language train test peer <<<"$entry"
  folder=${name%% (*}
  row="| $name |"
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
  if $peers; then
    "$python" "$baselines" "$datasets/$folder/$train" "$datasets/$folder/$test" "$language" \
      --throughput 1000 >"$work/peers.jsonl" 2>/dev/null
    peer_best=0
    for system in "${systems[@]}"; do
      cell=$(python3 - "$work/peers.jsonl" "$system" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("system") == sys.argv[2]:
        print("%s / %s (%.1f s) %s" % (("%.3f" % d["acc"])[1:], ("%.3f" % d["macro_f1"])[1:], d["train_s"], d["macro_f1"]))
PY
)
      row+=" ${cell% *} |"
      peer_best=$(python3 -c "print(max($peer_best, ${cell##* }))")
    done
  else
    row+=" $peer |"
    peer_best=0${peer##*/ }
  fi
  row+=" $(python3 -c "print('%+.3f' % ($best - $peer_best))") |"
  echo "$row"
done
