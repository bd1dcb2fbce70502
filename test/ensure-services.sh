#!/usr/bin/env bash
# Makes sure what the test suite needs is on this machine: Debian's Chromium and Firefox ESR (with
# its Swedish language pack), and a PostgreSQL server on 127.0.0.1:5432. Installs or starts them
# when running as root; otherwise prints the command to run. Prints the PostgreSQL URL to use on its last line.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else
    echo "Missing test dependency; run as root: $*" >&2
    return 1
  fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >&2
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
# Firefox runs in Swedish only with its Swedish language pack (test/e2e/firefox-swedish.test.ts).
[ -e /usr/lib/firefox-esr/browser/extensions/langpack-sv-SE@firefox-esr.mozilla.org.xpi ] ||
  missing+=(firefox-esr-l10n-sv-se)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages) for the test suite…" >&2
  apt_install "${missing[@]}"
fi

pg_url="${CLICKTRAIL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_ok() { psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "Starting PostgreSQL $version…" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ! pg_ok "$pg_url"; then
  # A fresh Debian install asks for passwords on TCP: give the tests a role of their own.
  fallback='postgres://clicktrail:clicktrail@127.0.0.1:5432/postgres'
  if ! pg_ok "$fallback"; then
    as_root su postgres -c "psql -qc \"CREATE ROLE clicktrail LOGIN SUPERUSER PASSWORD 'clicktrail'\"" >&2 || true
  fi
  pg_ok "$fallback" || { echo "Cannot connect to PostgreSQL at $pg_url or $fallback" >&2; exit 1; }
  pg_url="$fallback"
fi
echo "$pg_url"
