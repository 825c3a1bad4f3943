#!/usr/bin/env bash
# Checks Crible's naive Bayes against scikit-learn on identical features: trains each variant on
# a labelled file, exports the exact vectors the model sees (`crible features`), fits
# scikit-learn's MultinomialNB or ComplementNB (same alpha) on them, and compares the
# probabilities with `crible label --jsonl` (which prints four decimals: differences up to 5e-5
# are rounding).
#
# usage: Benchmarks/scripts/check-against-scikit-learn.sh TRAIN.tsv TEST.tsv [PYTHON]
# PYTHON must have scikit-learn (for example a venv made as ../shared/docs/peers.md shows);
# without it the check is skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
train=$1
test=$2
python=${3:-python3}
if ! "$python" -c 'import sklearn' 2>/dev/null; then
  echo "check-against-scikit-learn: skipped ($python has no scikit-learn)"
  exit 0
fi
crible=$root/.build/release/crible
[ -x "$crible" ] || swift build -c release --package-path "$root" --product crible >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for algorithm in naive-bayes complement-naive-bayes; do
  "$crible" train "$train" -o "$work/m.crible" --algorithm "$algorithm" 2>/dev/null
  "$crible" info "$work/m.crible" --json >"$work/info.json"
  "$crible" features -m "$work/m.crible" "$train" -o "$work/train.svm"
  "$crible" features -m "$work/m.crible" "$test" -o "$work/test.svm"
  cut -f2 "$test" | "$crible" label -m "$work/m.crible" --jsonl >"$work/test.jsonl"
  "$python" - "$work" "$algorithm" <<'PY' || status=1
import json, sys
import numpy as np
from sklearn.datasets import load_svmlight_file
from sklearn.naive_bayes import ComplementNB, MultinomialNB
work, algorithm = sys.argv[1], sys.argv[2]
info = json.load(open(f"{work}/info.json"))
n, alpha = info["features"], info["hyperparameters"]["alpha"]
Xtr, ytr = load_svmlight_file(f"{work}/train.svm", n_features=n, zero_based=True)
Xte, _ = load_svmlight_file(f"{work}/test.svm", n_features=n, zero_based=True)
model = (MultinomialNB(alpha=alpha) if algorithm == "naive-bayes" else ComplementNB(alpha=alpha)).fit(Xtr, ytr)
ours = np.array([[json.loads(l)["scores"][k] for k in info["labels"]] for l in open(f"{work}/test.jsonl")])
theirs = model.predict_proba(Xte)
diff = float(np.abs(theirs - ours).max())
print(f"{algorithm}: {len(ours)} messages, {n} features, max |probability difference| {diff:.2e}")
sys.exit(0 if diff <= 6e-5 else 1)
PY
done
exit $status
