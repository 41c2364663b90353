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

# The web UI: component tests (Vitest) and browser tests (Debian's Chromium through playwright-core, against a real
# master and agent built by the dotnet test run above). Their counts join the closing line; a crash counts as a failure.
webui_counts() { # LOG PATTERN: "passed failed" from the last line of LOG matching "N passed, N failed", or nothing
  grep -E "$2" "$1" 2>/dev/null | tail -n 1 | sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/'
}
(cd "$root/webui" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } &&
  npx vitest run --reporter=default --reporter=json --outputFile.json="$log_dir/vitest.json") >"$log_dir/vitest.log" 2>&1
vitest_status=$?
tail -n 8 "$log_dir/vitest.log"
read -r vitest_passed vitest_failed < <(node -e '
  try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)); }
  catch { console.log("0 0"); }' "$log_dir/vitest.json" 2>/dev/null || echo "0 0")
if [ "$vitest_status" -ne 0 ] && [ "${vitest_failed:-0}" -eq 0 ]; then
  echo "vitest exited with $vitest_status without a failed test (log: $log_dir/vitest.log)"
  vitest_failed=1
fi
(cd "$root/webui" && node e2e/run.mjs) 2>&1 | tee "$log_dir/webui-e2e.log"
e2e_status=${PIPESTATUS[0]}
read -r e2e_passed e2e_failed < <(webui_counts "$log_dir/webui-e2e.log" '^webui e2e: [0-9]+ passed, [0-9]+ failed$')
e2e_passed=${e2e_passed:-0}
e2e_failed=${e2e_failed:-0}
if [ "$e2e_status" -ne 0 ] && [ "$e2e_failed" -eq 0 ]; then
  echo "the web UI's end-to-end run exited with $e2e_status without a failed test (log: $log_dir/webui-e2e.log)"
  e2e_failed=1
fi
passed=$((passed + ${vitest_passed:-0} + e2e_passed))
failed=$((failed + ${vitest_failed:-0} + e2e_failed))

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
