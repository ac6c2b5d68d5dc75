#!/usr/bin/env bash
# Set up shopfront on a fresh Debian/Ubuntu machine (Python 3.11+), then run it.
#
#   bash packaging/bootstrap.sh run    # install, create the demo book once, open the window
#   bash packaging/bootstrap.sh test   # install, then run the whole test suite headless,
#                                      # on SQLite and again on a private PostgreSQL server
#                                      # (SHOPFRONT_SKIP_POSTGRES=1 skips the second run)
#
# Installs what is missing: Qt's system libraries (apt), a virtual environment in .venv,
# and shopfront with its test tools (pip). Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libgl1 libegl1 libfontconfig1 fonts-dejavu-core libxkbcommon0 libdbus-1-3
              libglib2.0-0 poppler-utils python3-venv)
PYTHON=${PYTHON:-python3}

say() { printf '\033[1mshopfront:\033[0m %s\n' "$*" >&2; }

need_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    say "needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1 || echo missing))."
    exit 1
  fi
}

install_system_packages() {
  command -v dpkg-query >/dev/null || { say "not a Debian/Ubuntu system: install Qt's libraries yourself"; return; }
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # python3-venv is only needed where `python3 -m venv` can't make a working pip.
  if "$PYTHON" -c 'import ensurepip' 2>/dev/null; then
    missing=("${missing[@]/python3-venv}")
  fi
  local wanted=()
  for pkg in "${missing[@]}"; do [ -n "$pkg" ] && wanted+=("$pkg"); done
  [ ${#wanted[@]} -eq 0 ] && return
  say "installing system packages: ${wanted[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
}

install_python_packages() {
  if [ ! -x .venv/bin/python ]; then
    say "creating the virtual environment in .venv"
    "$PYTHON" -m venv .venv
  fi
  local stamp=.venv/.shopfront-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "installing shopfront and its dependencies"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test]'
    touch "$stamp"
  fi
}

run_app() {
  local demo_db="${SHOPFRONT_DEMO_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/shopfront/demo.db}"
  mkdir -p "$(dirname "$demo_db")"
  if [ ! -s "$demo_db" ]; then
    say "creating the demo book at $demo_db"
    .venv/bin/shopfront demo --db "$demo_db"
  fi
  say "opening $demo_db"
  exec .venv/bin/shopfront --db "$demo_db" "$@"
}

run_tests() {
  export QT_QPA_PLATFORM=offscreen
  .venv/bin/python packaging/build_forms.py --check
  if [ "${SHOPFRONT_SKIP_POSTGRES:-0}" = 1 ]; then exec .venv/bin/python -m pytest "$@"; fi
  .venv/bin/python -m pytest "$@"
  say "the suite again on PostgreSQL (a private server on loopback, stopped afterwards)"
  bash packaging/with_postgres.sh --fast .venv/bin/python -m pytest -q "$@"
}

main() {
  local what=${1:-}
  shift || true
  case "$what" in
    run|test) ;;
    *) echo "usage: bash packaging/bootstrap.sh run|test [args…]" >&2; exit 2 ;;
  esac
  need_python
  if [ "$what" = test ] && [ "${SHOPFRONT_SKIP_POSTGRES:-0}" != 1 ]; then
    APT_PACKAGES+=(postgresql)  # the second test run needs initdb and pg_ctl
  fi
  install_system_packages
  install_python_packages
  if [ "$what" = run ]; then run_app "$@"; else run_tests "$@"; fi
}

main "$@"
