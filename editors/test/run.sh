#!/usr/bin/env bash
# Runs the Dossier editor tests in real editors:
#   1. install.sh (cached in ~/.cache/dossier-editors, or $DOSSIER_EDITOR_CACHE)
#   2. the .vsix (npm run package in editors/vscode)
#   3. Neovim: editors/test/nvim_e2e.sh (headless Neovim, four ways of configuring it)
#   4. VS Code: editors/test/vscode_e2e.mjs (code-server + Chromium via playwright-core)
#   5. the README's Vim (ALE) and Emacs (eglot) snippets: vim_ale_e2e.sh, emacs_eglot_e2e.sh
# against $DOSSIER_BIN (default <repo>/target/release/dossier, built if missing).
# Screenshots and logs: editors/test-artifacts/. DOSSIER_UPDATE_SCREENSHOTS=1 also
# refreshes editors/screenshots/{hover,diagnostic}.png.
# Usage: editors/test/run.sh [nvim|vscode|vim|emacs]...   (default: all)
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
. "$HERE/versions.sh"
export DOSSIER_TEST_ARTIFACTS=${DOSSIER_TEST_ARTIFACTS:-$REPO/editors/test-artifacts}
WHICH=("$@")
[ ${#WHICH[@]} -gt 0 ] || WHICH=(nvim vscode vim emacs)
now() { date +%s%N; }
secs() { local ms=$((($(now) - $1) / 1000000)); printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100)); }

T=$(now)
"$HERE/install.sh" </dev/null || { echo "editors: install.sh failed" >&2; exit 1; }
echo "== editors: install.sh took $(secs "$T")"

DEFAULT_BIN=$REPO/target/release/dossier
export DOSSIER_BIN=${DOSSIER_BIN:-$DEFAULT_BIN}
if ! [ -x "$DOSSIER_BIN" ]; then
  if [ "$DOSSIER_BIN" = "$DEFAULT_BIN" ]; then
    T=$(now)
    (cd "$REPO" && cargo build --release --bin dossier) || { echo "editors: cargo build --release failed" >&2; exit 1; }
    echo "== editors: cargo build --release took $(secs "$T")"
  else
    echo "editors: DOSSIER_BIN=$DOSSIER_BIN is not executable" >&2
    exit 1
  fi
fi
echo "== editors: server $DOSSIER_BIN"

rm -rf "$DOSSIER_TEST_ARTIFACTS" && mkdir -p "$DOSSIER_TEST_ARTIFACTS"
OUT=$DOSSIER_TEST_ARTIFACTS/output
mkdir -p "$OUT"
rc=0
summary=()

for which in "${WHICH[@]}"; do
  case $which in
    nvim)
      T=$(now)
      timeout -k 10 900 "$HERE/nvim_e2e.sh" </dev/null 2>&1 | tee "$OUT/nvim.txt"
      r=${PIPESTATUS[0]}
      summary+=("Neovim test: exit $r, $(secs "$T")")
      [ "$r" = 0 ] || rc=1
      ;;
    vscode)
      T=$(now)
      (cd "$REPO/editors/vscode" && XDG_CACHE_HOME="$CACHE/xdg-cache" npm run --silent package) >"$OUT/vsix-build.txt" 2>&1
      r=$?
      VSIX=$REPO/editors/vscode/dossier-$(cd "$REPO/editors/vscode" && node -p 'require("./package.json").version').vsix
      if [ $r -ne 0 ] || ! [ -f "$VSIX" ]; then
        cat "$OUT/vsix-build.txt"
        echo "not ok - [vscode] npm run package (the .vsix) failed"
        summary+=("VS Code .vsix build: FAILED")
        rc=1
        continue
      fi
      echo "ok - [vscode] built $(basename "$VSIX") ($(secs "$T"))" | tee "$OUT/vsix.txt"
      # Unit tests of where the extension looks for the server (Linux and Windows rules).
      (cd "$REPO/editors/vscode" && npm test --silent) 2>&1 | sed 's/^\(not \)\{0,1\}ok \([0-9]*\) - /\1ok \2 - [vscode unit] /' | tee "$OUT/vscode-unit.txt"
      [ "${PIPESTATUS[0]}" = 0 ] || rc=1
      # The platform .vsix with the server inside (npm run package:bundled).
      T=$(now)
      rm -f "$REPO"/editors/vscode/dossier-*-*.vsix
      (cd "$REPO/editors/vscode" && XDG_CACHE_HOME="$CACHE/xdg-cache" npm run --silent package:bundled) >"$OUT/vsix-bundled-build.txt" 2>&1
      BUNDLED=$(ls "$REPO"/editors/vscode/dossier-*-*.vsix 2>/dev/null | head -n1)
      if [ -n "$BUNDLED" ] && python3 - "$BUNDLED" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
i = z.getinfo('extension/server/dossier')
sys.exit(0 if i.file_size > 0 and (i.external_attr >> 16) & 0o111 else 1)
PY
      then
        echo "ok - [vscode] npm run package:bundled: $(basename "$BUNDLED") holds extension/server/dossier, executable ($(secs "$T"))" | tee -a "$OUT/vsix.txt"
      else
        cat "$OUT/vsix-bundled-build.txt"
        echo "not ok - [vscode] npm run package:bundled: no executable extension/server/dossier in ${BUNDLED:-the .vsix}" | tee -a "$OUT/vsix.txt"
        rc=1
      fi
      T=$(now)
      VSIX=$VSIX BUNDLED_VSIX=$BUNDLED NODE24=$NODE24_DIR/bin/node CODE_SERVER=$CODE_SERVER_BIN CHROMIUM=$CHROMIUM \
        timeout -k 10 600 node "$HERE/vscode_e2e.mjs" </dev/null 2>&1 | tee "$OUT/vscode.txt"
      r=${PIPESTATUS[0]}
      rm -f "$REPO"/editors/vscode/dossier-*-*.vsix
      summary+=("VS Code test: exit $r, $(secs "$T")")
      [ "$r" = 0 ] || rc=1
      ;;
    vim | emacs)
      script=$HERE/vim_ale_e2e.sh name="Vim (ALE) snippet test"
      [ "$which" = vim ] || script=$HERE/emacs_eglot_e2e.sh name="Emacs (eglot) snippet test"
      T=$(now)
      timeout -k 10 300 "$script" </dev/null 2>&1 | tee "$OUT/$which.txt"
      r=${PIPESTATUS[0]}
      summary+=("$name: exit $r, $(secs "$T")")
      [ "$r" = 0 ] || rc=1
      ;;
    *) echo "unknown test: $which (nvim|vscode|vim|emacs)" >&2; exit 2 ;;
  esac
done

echo "== editors: summary"
for s in "${summary[@]}"; do echo "   $s"; done
p=$(cat "$OUT"/*.txt 2>/dev/null | grep -c '^ok ' || true)
f=$(cat "$OUT"/*.txt 2>/dev/null | grep -c '^not ok ' || true)
[ "$rc" = 0 ] || [ "$f" -gt 0 ] || f=1
echo "editors: $p passed, $f failed"
exit $rc
