#!/usr/bin/env bash
# The one test command (npm test): infrastructure up, lint + type-checked build of every project,
# unit tests, then integration and end-to-end tests against the real Kafka, PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE="${CI:+true}"
mkdir -p tmp
bash tools/infra/infra.sh up
bash tools/infra/system-packages.sh
npx nx run-many -t lint build typecheck --parallel=2 --outputStyle=static
status=0
npx jest -c jest.config.js --json --outputFile=tmp/unit-results.json || status=$?
# one broker, one database server, 2 cores: integration and e2e specs run one file at a time
npx jest -c jest.int.config.js --runInBand --json --outputFile=tmp/int-results.json || status=$?
node -e '
  const r = ["tmp/unit-results.json", "tmp/int-results.json"].map((f) => { try { return require("./" + f); } catch { return { numPassedTests: 0, numFailedTests: 1 }; } });
  const passed = r.reduce((n, x) => n + x.numPassedTests, 0), failed = r.reduce((n, x) => n + x.numFailedTests, 0);
  console.log(`${passed} passed, ${failed} failed`);
'
exit $status
