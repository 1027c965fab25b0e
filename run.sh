#!/usr/bin/env bash
# One entry point on a fresh Debian machine (as root): installs what is missing, then runs.
#   ./run.sh render [TARGET ...] [--quality draft|medium|high|4k] [--jobs N] [--force]
#   ./run.sh test [pytest options]
#   ./run.sh explainer COMMAND ...      (any explainer command: check, list, status, preview, doctor)
# A second run checks what is installed (dpkg, a venv stamp) and skips it: well under a second.
set -euo pipefail
cd "$(dirname "$0")"

SYSTEM_PACKAGES=(libcairo2-dev libpango1.0-dev pkg-config
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm fonts-noto-cjk
  chromium)  # chromium: the gallery test plays every clip in a real browser
PYTHON=${PYTHON:-python3}
VENV=.venv

missing_packages() {
  local wanted=("${SYSTEM_PACKAGES[@]}")
  # Source builds of pycairo and ManimPango need a compiler, Python headers and venv.
  command -v gcc >/dev/null 2>&1 || wanted+=(build-essential)
  "$PYTHON" - <<'PY' 2>/dev/null || wanted+=(python3-dev python3-venv)
import ensurepip, os, sysconfig, venv
raise SystemExit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
PY
  local installed
  installed=$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null | awk '/ installed$/ {print $1}')
  for package in "${wanted[@]}"; do
    grep -qx "$package" <<<"$installed" || printf '%s\n' "$package"
  done
}

install_system_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  [ ${#missing[@]} -eq 0 ] && return 0
  local command="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: missing system packages: ${missing[*]}" >&2
    echo "run.sh: install them as root, then run this again:" >&2
    echo "  sudo sh -c '$command'" >&2
    exit 3
  fi
  echo "run.sh: installing ${missing[*]}" >&2
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

install_python_packages() {
  local stamp="$VENV/.installed" want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/explainer" ] && return 0
  echo "run.sh: installing the explainer package and its Python dependencies into $VENV" >&2
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e ".[test]" >&2
  echo "$want" >"$stamp"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  render|test|explainer) ;;
  *) echo "usage: ./run.sh render [options] | ./run.sh test [pytest options] | ./run.sh explainer COMMAND" >&2; exit 2 ;;
esac
install_system_packages
install_python_packages
case "$command" in
  render) exec "$VENV/bin/explainer" render "$@" ;;
  test) exec "$VENV/bin/python" -m pytest "$@" ;;
  explainer) exec "$VENV/bin/explainer" "$@" ;;
esac
