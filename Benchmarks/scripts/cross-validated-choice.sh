#!/usr/bin/env bash
# Compares two settings by repeated stratified cross-validation on the Chinese training sets,
# for every algorithm: a steadier measure than one held-out split when the difference is small
# (SIB-200's Chinese dev split has 99 sentences, and moved one default by 0.04 on its own).
#
# usage: SETTING_A="--no-han-numbers" SETTING_B="--han-numbers" [CORPORA="zh-spam-sms ..."] \
#          [ALGORITHMS="logistic-regression ..."] \
#          Benchmarks/scripts/cross-validated-choice.sh [DATASETS_DIR] [CRIBLE_BINARY]
#
# CORPORA (default: the six Chinese ones) names training sets: a corpus folder (its
# train.tsv), or sib200-zh / sib200-fr (SIB-200's train and dev together, 800 sentences).
# Each training set: 5 folds, fold seeds 1 and 2; SIB-200: 10 folds, seeds 1 to 3. Prints one
# TSV row per (corpus, algorithm): the mean macro-F1 of each setting over its runs, and B minus
# A; then each algorithm's mean difference.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
datasets=${1:-$here/../shared/datasets}
crible=${2:-$here/.build/release/crible}
a=${SETTING_A---no-han-numbers}
b=${SETTING_B---han-numbers}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpora=${CORPORA:-zh-spam-sms zh-weibo-rumor zh-swsr-sexism zh-cold-offensive zh-danmaku-sentiment sib200-zh}
algorithms=${ALGORITHMS:-logistic-regression embeddings naive-bayes complement-naive-bayes}
for language in zh fr; do
  cat "$datasets/multi-sib200-topic/train.$language.tsv" \
    "$datasets/multi-sib200-topic/dev.$language.tsv" >"$work/sib200-$language.tsv"
done

# mean_f1 FILE FOLDS SEEDS SETTING...: the mean of the cross-validated macro-F1 over the seeds.
mean_f1() {
  local file=$1 folds=$2 seeds=$3
  shift 3
  for seed in $(seq 1 "$seeds"); do
    # shellcheck disable=SC2068
    "$crible" cross-validate "$file" --folds "$folds" --seed "$seed" --json $@ 2>/dev/null |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["macro_f1"]["mean"])'
  done | python3 -c 'import sys; v=[float(x) for x in sys.stdin]; print("%.4f" % (sum(v)/len(v)))'
}

printf 'corpus\talgorithm\tA: %s\tB: %s\tB - A\n' "${a:-defaults}" "${b:-defaults}"
for algorithm in $algorithms; do
  for corpus in $corpora; do
    if [ "${corpus#sib200-}" != "$corpus" ]; then
      file=$work/$corpus.tsv folds=10 seeds=3
    else
      file=$datasets/$corpus/train.tsv folds=5 seeds=2
    fi
    # shellcheck disable=SC2086
    fa=$(mean_f1 "$file" $folds $seeds --algorithm $algorithm $a)
    # shellcheck disable=SC2086
    fb=$(mean_f1 "$file" $folds $seeds --algorithm $algorithm $b)
    printf '%s\t%s\t%s\t%s\t%+.4f\n' "$corpus" "$algorithm" "$fa" "$fb" \
      "$(python3 -c "print($fb - $fa)")"
  done
done | tee "$work/rows.tsv"
python3 - "$work/rows.tsv" <<'PY'
import collections, sys
by = collections.defaultdict(list)
for line in open(sys.argv[1]):
    corpus, algorithm, _, _, difference = line.rstrip("\n").split("\t")
    by[algorithm].append(float(difference))
for algorithm, values in by.items():
    print(f"# {algorithm}: mean difference {sum(values) / len(values):+.4f} over {len(values)} corpora")
PY
