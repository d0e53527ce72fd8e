#!/usr/bin/env bash
# Stops `make` with one sentence when a tool the setup needs is missing, instead
# of a screenful of pip or npm errors later on.
set -u
python="${1:-python3.11}"

fail() { echo "error: $1" >&2; exit 1; }

command -v "$python" >/dev/null 2>&1 \
  || fail "Python 3.11 is required but '$python' was not found: install python3.11 and python3.11-venv (or run make PYTHON=/path/to/python3.11)."
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[ "$version" = "3.11" ] \
  || fail "Python 3.11 is required but '$python' is Python $version: install python3.11 (or run make PYTHON=/path/to/python3.11); the dependency lock is made for 3.11."
"$python" -c 'import venv, ensurepip' 2>/dev/null \
  || fail "Python's venv module is missing: install python3.11-venv."
command -v node >/dev/null 2>&1 \
  || fail "Node.js 20 or newer is required for Mermaid and the diagram checks: install nodejs (20+) and npm."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] \
  || fail "Node.js 20 or newer is required but node is $(node --version): install Node.js 20+."
command -v npm >/dev/null 2>&1 \
  || fail "npm is required to install the pinned Mermaid library: install npm."
# Not fatal: `make serve` previews without it, but `make build` and the tests need it.
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -x /usr/bin/chromium ] \
  || echo "note: Chromium draws the diagrams at build time and runs the browser tests; get it with \`sudo apt-get install chromium\` (make serve previews without it)." >&2
exit 0
