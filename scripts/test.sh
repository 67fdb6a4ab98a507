#!/usr/bin/env bash
# Runs the whole test suite: type check, then jest; prints "N passed, N failed" last.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-arm.sh >&2 || echo "test.sh: Arm toolchain/QEMU unavailable; the Cortex-M tests will fail" >&2
npx tsc -p tsconfig.test.json || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }
report=$(mktemp)
node --experimental-vm-modules node_modules/jest/bin/jest.js --json --outputFile="$report" "$@"
status=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const failedSuites = r.numFailedTestSuites - (r.testResults || []).filter(t => t.assertionResults?.some(a => a.status === "failed")).length;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests + Math.max(0, failedSuites)} failed`);
' "$report" || echo "0 passed, 1 failed"
rm -f "$report"
exit $status
