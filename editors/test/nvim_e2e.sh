#!/usr/bin/env bash
# End-to-end test of editors/nvim in a real headless Neovim.
#   editors/test/nvim_e2e.sh [MODE...]     (modes: setup enable start corpus cargo missing)
#   cargo:   no `dossier` on PATH, the server in ~/.cargo/bin (what `cargo install` gives)
#   missing: no server anywhere: one clear message, and :checkhealth names it
# Env: NVIM (the nvim binary; default: the one install.sh put in the cache),
#      DOSSIER_BIN (default: <repo>/target/release/dossier).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=versions.sh
. "$HERE/versions.sh"
NVIM=${NVIM:-$NVIM_BIN}
DOSSIER_BIN=${DOSSIER_BIN:-$REPO/target/release/dossier}
ARTIFACTS=${DOSSIER_TEST_ARTIFACTS:-$REPO/editors/test-artifacts}
[ -x "$NVIM" ] || { echo "nvim not found at $NVIM (run editors/test/install.sh)" >&2; exit 2; }
[ -x "$DOSSIER_BIN" ] || { echo "dossier binary not found at $DOSSIER_BIN" >&2; exit 2; }
MODES=("$@")
[ ${#MODES[@]} -gt 0 ] || MODES=(setup enable start corpus cargo missing)
mkdir -p "$ARTIFACTS"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/dossier-nvim-e2e.XXXXXX")
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

# The server under test, as `dossier` on PATH (what the default config runs).
mkdir -p "$TMP/bin"
ln -s "$(readlink -f "$DOSSIER_BIN")" "$TMP/bin/dossier"

# PATH without any folder that holds a `dossier` (for the cargo and missing modes).
NO_DOSSIER_PATH=
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && ! [ -e "$d/dossier" ] && NO_DOSSIER_PATH=${NO_DOSSIER_PATH:+$NO_DOSSIER_PATH:}$d
done

fail=0
for mode in "${MODES[@]}"; do
  home="$TMP/$mode"
  mkdir -p "$home"/{config/nvim,data,state,cache}
  export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  # A fresh copy of the example workspace, so the quick fix never touches the repo.
  cp -r "$REPO/fixtures" "$home/ws"
  note="$home/ws/notes/example.md"
  corpus="$home/ws/corpus"
  if [ "$mode" != start ]; then
    # Installed the way a plugin manager (or plain `packages`) would.
    mkdir -p "$XDG_DATA_HOME/nvim/site/pack/dossier/start"
    ln -s "$REPO/editors/nvim" "$XDG_DATA_HOME/nvim/site/pack/dossier/start/dossier.nvim"
  fi
  run_path="$TMP/bin:$PATH" run_home=$HOME
  case $mode in
    setup) echo "require('dossier').setup{}" > "$XDG_CONFIG_HOME/nvim/init.lua" ;;
    cargo)
      # Installed the README's way: `cargo install --locked --path .` → ~/.cargo/bin/dossier,
      # which this Neovim's PATH does not include.
      run_home=$home/home run_path=$NO_DOSSIER_PATH
      mkdir -p "$run_home/.cargo/bin" && cp "$(readlink -f "$DOSSIER_BIN")" "$run_home/.cargo/bin/dossier"
      echo "require('dossier').setup{}" > "$XDG_CONFIG_HOME/nvim/init.lua" ;;
    missing)
      # No server on PATH nor in ~/.cargo/bin. init.lua records vim.notify calls before the note opens.
      run_home=$home/home run_path=$NO_DOSSIER_PATH
      mkdir -p "$run_home"
      cat > "$XDG_CONFIG_HOME/nvim/init.lua" <<'LUA'
_G.dossier_test_notifications = {}
vim.notify = function(msg, level)
  table.insert(_G.dossier_test_notifications, { msg = tostring(msg), level = level })
end
require('dossier').setup{}
LUA
      ;;
    enable) echo "vim.lsp.enable('dossier')" > "$XDG_CONFIG_HOME/nvim/init.lua" ;;
    start) cp "$REPO/editors/nvim/examples/vim_lsp_start.lua" "$XDG_CONFIG_HOME/nvim/init.lua" ;;
    corpus)
      # A note outside any dossier.toml workspace; the corpus comes from setup{}.
      mkdir -p "$home/loose" && cp "$note" "$home/loose/example.md" && note="$home/loose/example.md"
      rm "$home/ws/dossier.toml"
      printf "require('dossier').setup{ corpus = { [[%s]] } }\n" "$corpus" > "$XDG_CONFIG_HOME/nvim/init.lua" ;;
    *) echo "unknown mode $mode" >&2; exit 2 ;;
  esac
  start=$(date +%s%N)
  set +e
  (cd "$(dirname "$note")" && env -u CARGO_HOME PATH="$run_path" HOME="$run_home" DOSSIER_TEST_MODE=$mode DOSSIER_TEST_CORPUS="$corpus" \
    DOSSIER_TEST_ARTIFACTS="$ARTIFACTS" timeout -k 5 180 "$NVIM" --headless "$note" \
    -c "luafile $HERE/nvim_e2e.lua" </dev/null)
  rc=$?
  set -e
  el=$(( ($(date +%s%N) - start) / 1000000 ))
  printf 'nvim e2e [%s]: exit %d in %d.%03d s\n' "$mode" "$rc" $((el / 1000)) $((el % 1000))
  if [ $rc -ne 0 ]; then
    fail=1
    log="$XDG_STATE_HOME/nvim/lsp.log"
    if [ -f "$log" ]; then
      echo "--- tail of $log"; tail -n 40 "$log"; cp "$log" "$ARTIFACTS/nvim-lsp-$mode.log"
    fi
  fi
done
exit $fail
