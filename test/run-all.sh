#!/usr/bin/env bash
# `npm test`: the whole suite — lint, formatting, types, unit, server (SQLite and PostgreSQL)
# and e2e in real Chromium and Firefox against the built extension.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "Test dependencies (browsers, PostgreSQL)"
CLICKTRAIL_TEST_PG_URL=$(bash test/ensure-services.sh | tail -n 1)
export CLICKTRAIL_TEST_PG_URL
echo "PostgreSQL: $CLICKTRAIL_TEST_PG_URL"

step "Lint (ESLint, Prettier)"
npx eslint .
npx prettier --check .

step "Types (tsc --noEmit)"
npx tsc --noEmit

step "Build (Chrome MV3, Firefox MV2)"
npm run build --silent

step "Store linter (web-ext lint on the Firefox build, against test/web-ext-lint/allowed-warnings.json)"
npm run lint:firefox --silent

step "Tests (unit, server, e2e)"
mkdir -p .tmp
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json || status=$?
# One plain closing line that any CI reader understands.
node -e '
  const r = require("./.tmp/vitest.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
