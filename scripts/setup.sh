# Shared set-up for scripts/start and scripts/test: a project-local .venv with the pinned
# requirements and a built frontend. Each step is skipped when nothing it depends on changed.
# Sourced, not run: expects ROOT to be the checkout.

set -euo pipefail

PYTHON=${PYTHON:-python3}
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

ensure_python_env() {
  local requirements=$1 stamp_file="$VENV/.trellis-installed"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || { echo "Trellis needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version))" >&2; exit 1; }
  [ -x "$VENV/bin/python" ] || { say "Creating .venv"; "$PYTHON" -m venv "$VENV"; }
  local want
  want=$(stamp_of "$ROOT/requirements.txt" "$ROOT/$requirements")
  if [ "$(cat "$stamp_file" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages from $requirements"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$ROOT/$requirements"
    echo "$want" > "$stamp_file"
  fi
}

ensure_frontend() {
  command -v npm >/dev/null || { echo "Trellis needs Node.js 20 and npm to build its canvas" >&2; exit 1; }
  local stamp_file="$ROOT/frontend/node_modules/.trellis-installed" want
  want=$(stamp_of "$ROOT/frontend/package-lock.json")
  if [ "$(cat "$stamp_file" 2>/dev/null)" != "$want" ]; then
    say "Installing frontend packages"
    (cd "$ROOT/frontend" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" > "$stamp_file"
  fi
  say "Building the canvas"
  (cd "$ROOT/frontend" && npm run --silent build >/dev/null)
}
