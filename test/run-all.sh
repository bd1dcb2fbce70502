#!/usr/bin/env bash
# `npm test`: the whole suite — lint, formatting, types, unit, server (SQLite and PostgreSQL)
# and e2e in real Chromium and Firefox against the built extension.
#
# Two lanes run side by side, one per core of a 2-core CI machine (each step alone is mostly
# single-threaded, and the e2e tests wait on browsers much of the time):
#   - builds: the four extension builds and the tracker, then the e2e tests (one file at a time,
#     as before: vitest.config.ts says why);
#   - checks: ESLint, Prettier, tsc, the store linter (once the Firefox build is there), then the
#     unit and server tests, which need no build, and the store linter's own test.
# The builds lane prints as it goes; the checks lane's output follows it, whole and in order.
# Every step runs even when an earlier one failed in the other lane; the command fails if any did.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

mkdir -p .tmp
summary=.tmp/steps.tsv
: >"$summary"

# run <name> <command…>: one step, timed, its status recorded; returns the command's status.
run() {
  local name=$1 start code=0
  shift
  step "$name"
  start=$(date +%s)
  "$@" || code=$?
  printf '%s\t%s\t%s\n' "$name" "$(($(date +%s) - start))" "$code" >>"$summary"
  return "$code"
}

step "Test dependencies (browsers, PostgreSQL)"
CLICKTRAIL_TEST_PG_URL=$(bash test/ensure-services.sh | tail -n 1)
export CLICKTRAIL_TEST_PG_URL
echo "PostgreSQL: $CLICKTRAIL_TEST_PG_URL"

checks() {
  local status=0
  run "Lint (ESLint)" npx eslint . || status=1
  run "Formatting (Prettier)" npx prettier --check . || status=1
  run "Types (tsc --noEmit)" npx tsc --noEmit || status=1
  # The store linter reads the Firefox build: wait for the builds lane to have made it.
  while [ ! -e .tmp/build.status ]; do sleep 1; done
  local lint_test=() label="Tests (unit, server)"
  if [ "$(cat .tmp/build.status)" = 0 ]; then
    run "Store linter (web-ext lint on the Firefox build, against test/web-ext-lint/allowed-warnings.json)" \
      npm run lint:firefox --silent || status=1
    # The store linter's own test (in the e2e project) opens no browser: it runs here, off the e2e lane.
    lint_test=(test/e2e/web-ext-lint.test.ts)
    label="Tests (unit, server, the store linter's own test)"
  fi
  run "$label" \
    npx vitest run --project unit --project server --project e2e test/unit/ test/server/ "${lint_test[@]}" \
    --reporter=default --reporter=json --outputFile.json=.tmp/vitest-checks.json || status=1
  return "$status"
}

builds() {
  local code=0
  run "Build (Chrome MV3, Firefox MV2, their e2e builds, the tracker)" npm run build --silent || code=$?
  echo "$code" >.tmp/build.status.part && mv .tmp/build.status.part .tmp/build.status
  # The e2e tests load the builds: without them they cannot run.
  [ "$code" = 0 ] || return 1
  run "Tests (e2e)" npx vitest run --project e2e --exclude test/e2e/web-ext-lint.test.ts \
    --reporter=default --reporter=json --outputFile.json=.tmp/vitest-e2e.json || return 1
}

rm -f .tmp/vitest-checks.json .tmp/vitest-e2e.json .tmp/build.status
checks >.tmp/checks.log 2>&1 &
checks_pid=$!
# Interrupted: stop both lanes (everything this command started shares its process group).
trap 'trap - INT TERM; kill 0' INT TERM
status=0
builds || status=1
wait "$checks_pid" || status=1
cat .tmp/checks.log

step "Summary"
# Each step's wall time (the lanes overlap), then one plain closing line that any CI reader understands.
awk -F'\t' '{ printf "%-100s %5ss  %s\n", $1, $2, ($3 == 0 ? "ok" : "FAILED") }' "$summary"
node -e '
  const fs = require("fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const file of [".tmp/vitest-checks.json", ".tmp/vitest-e2e.json"]) {
    if (!fs.existsSync(file)) { console.log(`${file}: no report (those tests did not run)`); continue; }
    const r = JSON.parse(fs.readFileSync(file, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  }
  console.log(`tests: ${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
