#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer, then under ThreadSanitizer, each in a
# build folder of its own (.build/sanitize-address, .build/sanitize-thread), and prints how
# long each took. LeakSanitizer skips what the test harness itself keeps until exit
# (Scripts/lsan-suppressions.txt).
#
# usage: Scripts/sanitize.sh [address] [thread]
set -euo pipefail
cd "$(dirname "$0")/.."
sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
status=0
mkdir -p .build
for sanitizer in "${sanitizers[@]}"; do
  start=$(date +%s)
  echo "== swift test --sanitize=$sanitizer" >&2
  if LSAN_OPTIONS="suppressions=$PWD/Scripts/lsan-suppressions.txt:print_suppressions=0" \
    swift test --sanitize="$sanitizer" --scratch-path ".build/sanitize-$sanitizer" 2>&1 |
    tee ".build/sanitize-$sanitizer.log" | grep -E "Test run|✘|ERROR: (Address|Thread)Sanitizer|WARNING: ThreadSanitizer|SUMMARY"; then
    :
  fi
  if grep -qE "✘|ERROR: AddressSanitizer|WARNING: ThreadSanitizer|SUMMARY: (Address|Thread)Sanitizer" \
    ".build/sanitize-$sanitizer.log" || ! grep -q "passed after" ".build/sanitize-$sanitizer.log"; then
    echo "$sanitizer: FAILED (see .build/sanitize-$sanitizer.log)" >&2
    status=1
  fi
  echo "$sanitizer: $(($(date +%s) - start)) s" >&2
done
exit $status
