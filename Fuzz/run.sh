#!/usr/bin/env bash
# Builds Crible's libFuzzer targets with -sanitize=fuzzer,address and runs each for SECONDS
# (default 600) on a copy of the committed seed corpus; findings (crash-*, leak-*, timeout-*)
# are left in Fuzz/findings/TARGET/.
#
# usage: Fuzz/run.sh [SECONDS] [TARGET ...]   (targets: TextPipeline InputRecords ModelFile)
# JOBS=2 runs two targets at once. CLEAN=1 removes Fuzz/.build first: after the layout of a
# library type changed (session 4: TextClassifier grew by 16 bytes), an incremental build
# recompiled one fuzz target but not the two others, whose stale code then reported a
# stack-buffer-overflow at start-up that a clean build does not have.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-600}
shift || true
targets=("$@")
if [ "${CLEAN:-0}" = 1 ]; then rm -rf "$here/.build"; fi
[ ${#targets[@]} -gt 0 ] || targets=(TextPipeline InputRecords ModelFile)
swift build --package-path "$here" -c release \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld \
  --scratch-path "$here/.build" 2>&1 | grep -Ev "warning: Cannot export local symbol" >&2
bin=$(swift build --package-path "$here" -c release --scratch-path "$here/.build" --show-bin-path)
run() {
  local target=$1
  local work="$here/.build/corpus/$target" findings="$here/findings/$target"
  mkdir -p "$work" "$findings"
  cp -n "$here/Corpus/$target/"* "$work/" 2>/dev/null || true
  echo "fuzzing $target for $seconds s" >&2
  "$bin/Fuzz$target" "$work" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix="$findings/" -print_final_stats=1 \
    >"$findings/log.txt" 2>&1 || { echo "$target: FOUND SOMETHING, see $findings" >&2; return 1; }
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$findings/log.txt" | tail -3 >&2
  echo "$target: nothing found" >&2
}
status=0
if [ "${JOBS:-1}" -gt 1 ]; then
  pids=()
  for target in "${targets[@]}"; do run "$target" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
else
  for target in "${targets[@]}"; do run "$target" || status=1; done
fi
exit $status
