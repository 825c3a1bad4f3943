#!/usr/bin/env bash
# Rebuilds every shipped model into a temporary folder with Scripts/build-models.sh and checks
# that each card's test metrics reproduce those of the committed card within half a point.
#
# usage: Scripts/check-model-cards.sh [DATASETS_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
datasets=${1:-$root/../shared/datasets}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$root/Scripts/build-models.sh" "$datasets" "$work" 2>/dev/null
python3 - "$root/Models" "$work" <<'PY'
import glob, os, re, sys
committed, rebuilt = sys.argv[1], sys.argv[2]
worst, failures, checked = 0.0, 0, 0
for card in sorted(glob.glob(os.path.join(committed, "*.md"))):
    name = os.path.basename(card)
    if name == "README.md":
        continue
    def metrics(path):
        rows = re.findall(r"^\| ([^|]+) \| ([01]?\.\d+) / ([01]?\.\d+) \|", open(path, encoding="utf-8").read(), re.M)
        return {row[0].strip(): (float(row[1]), float(row[2])) for row in rows}
    old, new = metrics(card), metrics(os.path.join(rebuilt, name))
    for test, values in old.items():
        checked += 1
        if test not in new:
            failures += 1
            print(f"{name}: {test} is missing from the rebuilt card")
            continue
        gap = max(abs(a - b) for a, b in zip(values, new[test]))
        worst = max(worst, gap)
        if gap > 0.005:
            failures += 1
            print(f"{name}: {test} {values} now {new[test]}")
print(f"{checked} test metrics of the model cards rebuilt; largest difference {worst:.4f}; {failures} beyond 0.005")
sys.exit(1 if failures else 0)
PY
