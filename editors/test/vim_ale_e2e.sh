#!/usr/bin/env bash
# Tests the Vim (ALE) snippet of editors/README.md, taken from the README
# verbatim, in a real Vim with Debian's vim-ale: diagnostics, go to
# definition, hover. Prints TAP-like lines and "N passed, N failed".
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DOSSIER_BIN=${DOSSIER_BIN:-$REPO/target/release/dossier}
ALE=${ALE_DIR:-/usr/share/vim-ale}
command -v vim >/dev/null && [ -d "$ALE" ] || { echo "vim or vim-ale missing (run editors/test/install.sh)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dossier-ale-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin" && ln -s "$(readlink -f "$DOSSIER_BIN")" "$TMP/bin/dossier"
cp -r "$REPO/fixtures" "$TMP/ws"

# The ```vim block under "### Vim (ALE)" in editors/README.md.
awk '/^### Vim \(ALE\)/{s=1} s&&/^```vim/{f=1;next} f&&/^```/{exit} f' "$REPO/editors/README.md" >"$TMP/snippet.vim"
[ -s "$TMP/snippet.vim" ] || { echo "not ok - [vim-ale] no vim snippet found in editors/README.md"; echo "0 passed, 1 failed"; exit 1; }
cat >"$TMP/vimrc" <<VIMRC
set nocompatible
set runtimepath^=$ALE
set runtimepath+=$ALE/after
filetype plugin on
source $TMP/snippet.vim
VIMRC
cat >"$TMP/test.vim" <<'VIM'
let s:res = []
function! s:check(desc, ok, detail) abort
  call add(s:res, (a:ok ? 'ok - ' : 'not ok - ') . '[vim-ale] ' . a:desc . (a:ok ? '' : "\n  # " . a:detail))
endfunction
let s:t = 0
while s:t < 300 && empty(filter(copy(getloclist(0)), 'v:val.text =~# "date-conflict"'))
  sleep 100m
  let s:t += 1
endwhile
let s:diags = filter(copy(getloclist(0)), 'v:val.text =~# "date-conflict"')
call s:check('date-conflict in the location list', len(s:diags) == 1 && s:diags[0].lnum == 5 && getline(5)[s:diags[0].col - 1 :] =~# '^October', string(getloclist(0)))
call search('important security')
ALEGoToDefinition
let s:t = 0
while s:t < 50 && expand('%:t') !=# '001_f5c6b512ca1d2a60.txt'
  sleep 100m
  let s:t += 1
endwhile
call s:check(':ALEGoToDefinition on the quotation opens article 001 at line 19', expand('%:t') ==# '001_f5c6b512ca1d2a60.txt' && line('.') == 19, expand('%') . ':' . line('.'))
buffer 1
call search('Ruto met')
let g:ale_hover_to_preview = 1
ALEHover
let s:t = 0
while s:t < 50 && empty(filter(range(1, winnr('$')), 'getwinvar(v:val, "&previewwindow")'))
  sleep 100m
  let s:t += 1
endwhile
let s:card = ''
for s:w in range(1, winnr('$'))
  if getwinvar(s:w, '&previewwindow')
    let s:card = join(getbufline(winbufnr(s:w), 1, '$'), "\n")
  endif
endfor
call s:check(':ALEHover on "Ruto" shows the William Ruto card', s:card =~# '^### William Ruto', s:card)
call writefile(s:res, $ALE_RESULT)
qa!
VIM
start=$(date +%s%N)
(cd "$TMP/ws/notes" && PATH="$TMP/bin:$PATH" HOME="$TMP" ALE_RESULT="$TMP/result.txt" \
  timeout -k 5 90 vim -N -u "$TMP/vimrc" -i NONE --not-a-term -c "source $TMP/test.vim" example.md </dev/null >/dev/null 2>&1) || true
if [ -f "$TMP/result.txt" ]; then cat "$TMP/result.txt"; else echo "not ok - [vim-ale] vim did not finish the test"; fi
p=$(grep -c '^ok ' "$TMP/result.txt" 2>/dev/null || true)
f=$(grep -c '^not ok ' "$TMP/result.txt" 2>/dev/null || true)
[ -f "$TMP/result.txt" ] || f=1
el=$((($(date +%s%N) - start) / 1000000))
echo "$p passed, $f failed"
printf 'vim-ale e2e: %d.%03d s\n' $((el / 1000)) $((el % 1000))
[ "$f" = 0 ] && [ "$p" -gt 0 ]
