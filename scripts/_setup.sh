# Shared set-up for scripts/start and scripts/test (sourced, not run).
# Makes .venv with a Python >= 3.11 (Debian's /usr/bin/python3.11 first) and installs Almanac
# pinned by constraints.txt. Re-installs only when pyproject.toml or constraints.txt changed (a
# stamp in .venv); makes .venv again when it was made with another Python (.venv/.almanac-python)
# or its python no longer runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_install() {
  # apt_install PKG...: install the Debian packages that are missing (root on Debian).
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

find_python() {
  # Debian's own python3.11 first: built with PGO + LTO and libpython linked in, it pushes 10,000
  # edits 13-20 % faster than pyenv's default build (neither), first on PATH on some machines
  # (bench/README.md, "Which Python"). Then the first of these names on PATH.
  for c in /usr/bin/python3.11 python3.11 python3 python3.12 python3.13; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$c"; return 0
    fi
  done
  return 1
}

quiet_pip() {
  # pip without this machine's noise about missing local mirrors; pip's own status (pipefail).
  .venv/bin/python -m pip "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
}

ensure_venv() {
  # ensure_venv EXTRAS: e.g. "" or "[test]"
  local extras="${1:-}"
  local py
  if ! py="$(find_python)"; then
    apt_install python3 python3-venv python3-dev
    py="$(find_python)"
  fi
  local base
  base="$("$py" -c 'import sys; print(sys.base_prefix, sys.version.split()[0])')"
  if [ -e .venv ] && { ! .venv/bin/python -c '' 2>/dev/null \
      || [ "$(cat .venv/.almanac-python 2>/dev/null)" != "$base" ]; }; then
    log "re-creating .venv: it was not made with $py ($base), or its python does not run"
    rm -rf .venv
  fi
  if [ ! -x .venv/bin/python ]; then
    log "creating .venv with $py ($base)"
    "$py" -m venv .venv 2>/dev/null || {
      # Debian splits venv out: python3-venv (the default python3's), python3.X-venv (this one's)
      apt_install python3-venv "python$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"
      rm -rf .venv
      "$py" -m venv .venv
    }
    echo "$base" > .venv/.almanac-python
  fi
  local stamp=".venv/.almanac-stamp$extras"
  local want
  want="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "installing Almanac$extras into .venv (pinned by constraints.txt)"
    quiet_pip install -q --upgrade pip
    quiet_pip install -q -c constraints.txt -e ".$extras"
    echo "$want" > "$stamp"
  fi
}
