#!/usr/bin/env bash
# One entry point on a fresh Debian machine (as root): installs what is missing, then runs.
#   ./run.sh render [TARGET ...] [--quality draft|medium|high|4k] [--jobs N] [--force] [--voice V]
#   ./run.sh deck [TARGET ...] [options]   (render, then the PowerPoint, browser and manim-slides decks)
#   ./run.sh record [TARGET ...] [--port N] [--no-browser]   (the recording booth: record a take per segment)
#   ./run.sh test [pytest options]
#   ./run.sh worker tcp://HOST:PORT [dask worker options]   (this machine renders for `render --scheduler`)
#   ./run.sh explainer COMMAND ...      (any explainer command: check, list, status, preview, doctor, deck)
# `render` and `explainer` install what rendering needs; `deck` (and `explainer deck`) add npm and
# reveal.js for the browser deck; `test` adds those and what only the tests use.
# A second run checks what is installed (dpkg, npm and venv stamps) and skips it: well under a second.
# RUN_SH_STOP_AFTER=system stops after the Debian step, =node after reveal.js, both before pip
# (the setup's own test uses them).
set -euo pipefail
cd "$(dirname "$0")"

# What rendering needs: cairo/pango headers for the pycairo and ManimPango builds, a TeX Live
# subset with dvisvgm for MathTex, the CJK font, and espeak-ng for the draft narration voice.
RENDER_PACKAGES=(libcairo2-dev libpango1.0-dev pkg-config
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm fonts-noto-cjk
  espeak-ng)
# What only the tests use: chromium plays every clip in a real browser; Debian's ffmpeg is the
# independent decoder and loudness meter the tests check our outputs with.
# LibreOffice Impress converts a PowerPoint deck to PDF, whose pages poppler's pdftoppm rasterises.
TEST_PACKAGES=(chromium ffmpeg libreoffice-impress poppler-utils)
# What the browser deck needs beyond rendering: npm, to install the pinned reveal.js into
# vendor/node_modules (npm ci from vendor/package-lock.json). Wanted only when no npm is on PATH,
# since NodeSource's nodejs bundles npm and conflicts with Debian's npm package.
DECK_PACKAGES=(nodejs npm)
NPM=${NPM:-npm}
PYTHON=${PYTHON:-python3}
VENV=.venv

die() { echo "run.sh: $*" >&2; exit "${EXIT:-1}"; }

# Sets MISSING to the wanted packages dpkg does not report as installed. It runs in this shell
# (never in a pipe or a process substitution, whose failures would vanish) and stops run.sh if
# dpkg cannot be asked at all: an install step must never be skipped because detection broke.
find_missing_packages() {
  local wanted=("$@")
  # Source builds of pycairo and ManimPango need a compiler, Python headers and venv.
  command -v gcc >/dev/null 2>&1 || wanted+=(build-essential)
  if ! "$PYTHON" - <<'PY' 2>/dev/null; then wanted+=(python3-dev python3-venv); fi
import ensurepip, os, sysconfig, venv
raise SystemExit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)
PY
  command -v dpkg-query >/dev/null 2>&1 \
    || die "cannot tell which Debian packages are installed: dpkg-query is not on PATH (this script needs Debian or Ubuntu)"
  local report status=0
  # dpkg-query exits 1 when some package was never installed (it lists the others): expected.
  report=$(dpkg-query -W -f='${Package}\t${Status}\n' "${wanted[@]}" 2>/dev/null) || status=$?
  [ "$status" -le 1 ] || die "dpkg-query failed (exit $status) while checking ${wanted[*]}; run it by hand to see why"
  MISSING=()
  local package
  for package in "${wanted[@]}"; do
    # Installed means a line "NAME<TAB>install ok installed" (or hold ok installed).
    if ! grep -qP "^\Q$package\E(:[a-z0-9]+)?\t\S+ ok installed$" <<<"$report"; then
      MISSING+=("$package")
    fi
  done
}

install_system_packages() {
  find_missing_packages "$@"
  [ ${#MISSING[@]} -eq 0 ] && return 0
  local command="apt-get update && apt-get install -y --no-install-recommends ${MISSING[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "run.sh: missing Debian packages: ${MISSING[*]}" >&2
    echo "run.sh: install them as root, then run this again:" >&2
    echo "  sudo sh -c '$command'" >&2
    exit 3
  fi
  echo "run.sh: installing ${MISSING[*]}" >&2
  apt-get update -q >&2 || EXIT=3 die "apt-get update failed; run by hand: $command"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${MISSING[@]}" >&2 \
    || EXIT=3 die "apt-get install failed; run by hand: $command"
}

# reveal.js for the browser deck, exactly as vendor/package-lock.json pins it (npm ci), once per lock.
install_node_packages() {
  local stamp=vendor/node_modules/.run-sh-installed want
  want=$(sha256sum vendor/package-lock.json | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  echo "run.sh: installing reveal.js into vendor/node_modules (npm ci)" >&2
  (cd vendor && "$NPM" ci --no-audit --no-fund --loglevel=error) >&2 \
    || EXIT=3 die "npm ci failed; run by hand: (cd vendor && npm ci)"
  echo "$want" >"$stamp"
}

install_python_packages() {
  local stamp="$VENV/.installed" want
  want=$(sha256sum pyproject.toml | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/explainer" ] && return 0
  echo "run.sh: installing the explainer package and its Python dependencies into $VENV" >&2
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e ".[test]" >&2
  # An editable install compiles nothing; compiled once here, a run starts without compiling the
  # package (about 0.1 s of a no-op render), even where PYTHONDONTWRITEBYTECODE is set.
  "$VENV/bin/python" -m compileall -q src scenes >/dev/null || true
  echo "$want" >"$stamp"
}

command=${1:-}
[ $# -gt 0 ] && shift
node=()   # the deck's Debian packages, when there is no npm yet
command -v "$NPM" >/dev/null 2>&1 || node=("${DECK_PACKAGES[@]}")
decks=no  # whether this command builds or tests decks (then it needs reveal.js)
case "$command" in
  render|record) install_system_packages "${RENDER_PACKAGES[@]}" ;;
  worker) # A render worker needs exactly what `render` needs (the scheduler compares fingerprints).
    case "${1:-}" in tcp://*:*|tls://*:*) ;; *)
      echo "usage: ./run.sh worker tcp://SCHEDULER-HOST:PORT [dask worker options]" >&2
      echo "  (start the scheduler first, on any machine: .venv/bin/dask scheduler --port 8786)" >&2; exit 2 ;; esac
    install_system_packages "${RENDER_PACKAGES[@]}" ;;
  explainer) if [ "${1:-}" = deck ]; then decks=yes; fi
    if [ "$decks" = yes ]; then install_system_packages "${RENDER_PACKAGES[@]}" "${node[@]}"
    else install_system_packages "${RENDER_PACKAGES[@]}"; fi ;;
  deck) decks=yes; install_system_packages "${RENDER_PACKAGES[@]}" "${node[@]}" ;;
  test) decks=yes; install_system_packages "${RENDER_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${node[@]}" ;;
  *) echo "usage: ./run.sh render [options] | ./run.sh deck [TARGET ...] | ./run.sh record [TARGET ...]" \
          "| ./run.sh test [pytest options] | ./run.sh explainer COMMAND | ./run.sh worker tcp://HOST:PORT" >&2; exit 2 ;;
esac
[ "${RUN_SH_STOP_AFTER:-}" = system ] && exit 0
[ "$decks" = yes ] && install_node_packages
[ "${RUN_SH_STOP_AFTER:-}" = node ] && exit 0
install_python_packages
case "$command" in
  render) exec "$VENV/bin/explainer" render "$@" ;;
  # The booth renders in the background as `render` does, so it needs what `render` needs.
  record) exec "$VENV/bin/explainer" record "$@" ;;
  deck) exec "$VENV/bin/explainer" deck "$@" ;;
  # One pytest process per core (pytest-xdist), a test file's tests in one of them: they share its
  # renders. `./run.sh test -n 0` runs them all in one process.
  test) exec "$VENV/bin/python" -m pytest -n auto --dist loadfile "$@" ;;
  # From the project folder with src/ on the path: the worker imports the same explainer package
  # the client's checkout has (the client checks its modules' hashes before sending any slide).
  worker) PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}" exec "$VENV/bin/dask" worker "$@" ;;
  explainer) exec "$VENV/bin/explainer" "$@" ;;
esac
