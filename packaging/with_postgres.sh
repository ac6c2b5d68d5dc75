#!/usr/bin/env bash
# Run a command against a private, throw-away PostgreSQL server.
#
#   bash packaging/with_postgres.sh [--fast] CMD [ARGS…]
#
# initdb's a server into a temporary folder (as the `postgres` user when run as root),
# listening on loopback only, exports SHOPFRONT_TEST_DB=postgresql://…/shopfront, runs
# CMD, then stops the server and removes the folder, whatever CMD's outcome. CMD's exit
# status is passed on. --fast turns off fsync (tests only: a crash loses the server's data,
# which is thrown away anyway). Needs Debian's `postgresql` package (initdb, pg_ctl).
set -euo pipefail

fast=0
if [ "${1:-}" = --fast ]; then fast=1; shift; fi
[ $# -gt 0 ] || { echo "usage: with_postgres.sh [--fast] CMD [ARGS…]" >&2; exit 2; }

bindir=""
for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent)")" \
                 /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bindir=$candidate; fi
done
[ -n "$bindir" ] || { echo "with_postgres.sh: initdb not found (apt install postgresql)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/shopfront-pg.XXXXXX")
chmod 755 "$work"
[ ${#as_owner[@]} -gt 0 ] && chown postgres "$work"
data=$work/data
port=${SHOPFRONT_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}

stop() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

"${as_owner[@]}" "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
options="-h 127.0.0.1 -p $port -k $work -c max_connections=100"
[ $fast -eq 1 ] && options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
"${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$work/server.log" -o "$options" -w start \
  >/dev/null || { cat "$work/server.log" >&2; exit 1; }
"${as_owner[@]}" "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE shopfront" \
  >/dev/null

export SHOPFRONT_TEST_DB="postgresql://postgres@127.0.0.1:$port/shopfront"
echo "with_postgres.sh: server on 127.0.0.1:$port ($SHOPFRONT_TEST_DB)" >&2
set +e
"$@"
status=$?
set -e
exit $status
