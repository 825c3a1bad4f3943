#!/usr/bin/env bash
# Checks that README.md's commands run as printed: every line of its shell blocks that starts
# with ./crible (or pipes into it) runs from the repository's folder and must exit 0; and the
# Swift example is the one ReadmeExampleTests runs. Commands that need what a fresh machine
# lacks (the ../shared datasets, Python packages) are listed and skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import re, subprocess, sys
readme = open("README.md", encoding="utf-8").read()
failures = 0
ran = 0
skipped = []
for block in re.findall(r"```\n(.*?)```", readme, re.S):
    for line in block.splitlines():
        line = line.strip()
        if not re.match(r"(\./crible|echo .*\| \./crible|swift test|python3 Scripts/spark)", line):
            continue
        if line.startswith("swift test") or "../shared" in line or line.startswith("python3 Scripts/spark"):
            skipped.append(line)
            continue
        ran += 1
        done = subprocess.run(["bash", "-c", line + " > /dev/null"], capture_output=True, text=True)
        if done.returncode != 0:
            failures += 1
            print(f"FAILED ({done.returncode}): {line}\n{done.stderr.strip()}", file=sys.stderr)
swift = re.search(r"```swift\nimport Classification\n\n(.*?)```", readme, re.S).group(1)
test = open("Tests/ClassificationTests/ReadmeExampleTests.swift", encoding="utf-8").read()
example = test[test.index("// README example begins\n") + 25 : test.index("    // README example ends")]
example = "\n".join(l[4:] if l.startswith("    ") else l for l in example.splitlines()) + "\n"
if swift != example:
    failures += 1
    print("FAILED: the README's Swift example differs from ReadmeExampleTests", file=sys.stderr)
print(f"{ran} commands ran, {failures} failed; the Swift example {'matches' if swift == example else 'DIFFERS'}; skipped (need the datasets, swift test itself or pyspark): {len(skipped)}")
for line in skipped:
    print("  skipped:", line)
sys.exit(1 if failures else 0)
PY
