#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer.
#
#   scripts/sanitize.sh address     AddressSanitizer (+ LeakSanitizer), scratch .build-asan
#   scripts/sanitize.sh thread      ThreadSanitizer, scratch .build-tsan (slow: not for every CI run)
#   scripts/sanitize.sh             both, address first
#
# Extra arguments after the sanitizer name go to `swift test` (e.g. --filter Age).
# A sanitizer report makes the run fail even when every test passed: halt_on_error and
# a non-zero exit code are set, and the log is searched for reports at the end.
# Leaks inside the Swift toolchain's libraries are suppressed (scripts/lsan.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
kinds=("${1:-address}")
[ $# -eq 0 ] && kinds=(address thread)
[ $# -gt 0 ] && shift
status=0
for kind in "${kinds[@]}"; do
  case $kind in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "usage: scripts/sanitize.sh [address|thread] [swift test arguments…]" >&2; exit 2 ;;
  esac
  log=$(mktemp /tmp/disclose-sanitize-$kind.XXXXXX)
  echo "== $kind sanitizer (scratch $scratch, log $log)"
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1"
  export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
  export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"
  # The end-to-end tests run the disclose binary built with the same sanitizer.
  export DISCLOSE_BIN=$root/$scratch/debug/disclose
  # Tests skip what a sanitizer's runtime cannot run under (see HostileInputTests.fullDisk).
  export DISCLOSE_TEST_SANITIZER=$kind
  if swift test --sanitize="$kind" --scratch-path "$scratch" "$@" >"$log" 2>&1; then rc=0; else rc=$?; fi
  grep -E 'Test run with|Executed [0-9]+ tests' "$log" | tail -2 || true
  if grep -qE '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY: (Address|Thread|Leak)Sanitizer)' "$log"; then
    echo "$kind sanitizer reports:"; grep -E '^(==[0-9]+==ERROR|WARNING: ThreadSanitizer|SUMMARY:)' "$log" | sort | uniq -c | head -20
    rc=1
  fi
  if [ $rc -ne 0 ]; then echo "FAILED ($kind, exit $rc): see $log"; status=1; else echo "passed ($kind)"; fi
done
exit $status
