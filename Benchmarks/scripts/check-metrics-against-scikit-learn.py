#!/usr/bin/env python3
"""Checks every metric `crible evaluate --json` prints against scikit-learn on the same predictions.

usage: check-metrics-against-scikit-learn.py REPORT.json PREDICTIONS.tsv
(REPORT.json from `crible evaluate --json`, PREDICTIONS.tsv from its `--predictions`.)
Prints the largest absolute difference and exits 1 when it exceeds 1e-6.
"""
import json, sys
import numpy as np
from sklearn import metrics

report = json.load(open(sys.argv[1]))
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[2]) if line.strip()]
y = np.array([int(r[0]) for r in rows])
p = np.array([[float(v) for v in r[1:]] for r in rows])
labels = list(range(p.shape[1]))
names = report["labels"]
pred = p.argmax(1)
checks = {
    "accuracy": (report["accuracy"], metrics.accuracy_score(y, pred)),
    "macro_f1": (report["macro_f1"], metrics.f1_score(y, pred, labels=labels, average="macro", zero_division=0)),
    "weighted_f1": (report["weighted_f1"], metrics.f1_score(y, pred, labels=labels, average="weighted", zero_division=0)),
    "micro_f1": (report["micro_f1"], metrics.f1_score(y, pred, labels=labels, average="micro", zero_division=0)),
    "log_loss": (report["log_loss"], metrics.log_loss(y, p, labels=labels)),
}
per = metrics.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
for i, name in enumerate(names):
    checks[f"precision[{name}]"] = (report["per_label"][name]["precision"], per[0][i])
    checks[f"recall[{name}]"] = (report["per_label"][name]["recall"], per[1][i])
    checks[f"f1[{name}]"] = (report["per_label"][name]["f1"], per[2][i])
    positives = y == i
    if 0 < positives.sum() < len(y):
        checks[f"roc_auc[{name}]"] = (report["roc_auc"][name], metrics.roc_auc_score(positives, p[:, i]))
    if positives.sum() > 0:
        checks[f"average_precision[{name}]"] = (report["average_precision"][name], metrics.average_precision_score(positives, p[:, i]))
for k, value in (report.get("top_k_accuracy") or {}).items():
    checks[f"top_{k}_accuracy"] = (value, metrics.top_k_accuracy_score(y, p, k=int(k), labels=labels))
cm = metrics.confusion_matrix(y, pred, labels=labels)
assert report["confusion_matrix"] == cm.tolist(), "confusion matrices differ"
worst = max(checks.items(), key=lambda kv: abs(kv[1][0] - kv[1][1]))
print(f"{len(checks)} metrics and the confusion matrix checked on {len(y)} examples; "
      f"largest difference {abs(worst[1][0] - worst[1][1]):.2e} ({worst[0]})")
sys.exit(0 if abs(worst[1][0] - worst[1][1]) <= 1e-6 else 1)
