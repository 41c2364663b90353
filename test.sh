#!/usr/bin/env bash
# Runs every test of the repository and ends with one line: "N passed, N failed".
# On a fresh machine it first installs what the tests need (when run as root; otherwise it says what is missing).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
log_dir="$root/.det-build/test-logs"
mkdir -p "$log_dir"

# shellcheck source=ci/prerequisites.sh
source "$root/ci/prerequisites.sh"
ensure_prerequisites || { echo "0 passed, 1 failed"; exit 1; }

# The launcher builds the Release CLI that the end-to-end tests call; build it once here, not inside a test.
if ! ./det --version >"$log_dir/det-version.log" 2>&1; then
  cat "$log_dir/det-version.log"
  echo "the det launcher failed to build the CLI"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test "$root/Determinant.slnx" --nologo --blame-hang-timeout 10m 2>&1 | tee "$log_dir/dotnet-test.log"
status=${PIPESTATUS[0]}

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ..." (or "Failed!  - ...").
read -r passed failed skipped < <(
  grep -E '^\s*(Passed|Failed)!\s+-\s+Failed:' "$log_dir/dotnet-test.log" |
    sed -E 's/.*Failed:\s*([0-9]+), Passed:\s*([0-9]+), Skipped:\s*([0-9]+).*/\1 \2 \3/' |
    awk '{f+=$1; p+=$2; s+=$3} END {printf "%d %d %d\n", p, f, s}'
)

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A build error or a crashed test host reports no failed test, but the run failed all the same.
  echo "dotnet test exited with $status without a failed test: a build error or an aborted test run (log: $log_dir/dotnet-test.log)"
  failed=1
fi

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
