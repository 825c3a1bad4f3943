#!/usr/bin/env bash
# Chooses naive-Bayes defaults by measurement, on held-out data only (never a test split).
#
# usage: Benchmarks/scripts/naive-bayes-defaults.sh [DATASETS_DIR] [CRIBLE_BINARY]
#
# For every corpus in DATASETS_DIR (default ../shared/datasets): the corpus's dev split when it
# has one, otherwise a deterministic 80/20 split of its train split (every fifth line held out).
# Prints one TSV row per (corpus, setting): accuracy and macro-F1 on the held-out part.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
datasets=${1:-$here/../shared/datasets}
crible=${2:-$here/.build/release/crible}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

settings=${SETTINGS:-"--alpha 0.01|--alpha 0.03|--alpha 0.1|--alpha 0.3|--alpha 1"}

printf 'corpus\tsetting\taccuracy\tmacro_f1\n'
for folder in "$datasets"/*/; do
  name=$(basename "$folder")
  for train in "$folder"train*.tsv; do
    suffix=${train#"$folder"train}
    tag=$name${suffix%.tsv}
    if [ -f "${folder}dev$suffix" ]; then
      fit=$train
      held="${folder}dev$suffix"
    else
      fit=$work/$tag.fit.tsv
      held=$work/$tag.held.tsv
      awk 'NR % 5 != 0' "$train" >"$fit"
      awk 'NR % 5 == 0' "$train" >"$held"
    fi
    IFS='|'
    for setting in $settings; do
      unset IFS
      # shellcheck disable=SC2086
      "$crible" train "$fit" -o "$work/m.crible" $setting 2>/dev/null
      "$crible" evaluate -m "$work/m.crible" "$held" --json |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print("%.4f\t%.4f" % (d["accuracy"], d["macro_f1"]))' |
        sed "s|^|$tag\t$setting\t|"
      IFS='|'
    done
    unset IFS
  done
done
