#!/usr/bin/env bash
# Tests the Emacs (eglot) snippet of editors/README.md, taken from the README
# verbatim, in a real Emacs (Debian 12: emacs-nox 28 + elpa-eglot +
# elpa-markdown-mode), in batch mode: connect, flymake diagnostics, hover,
# M-. (xref-find-definitions). Prints TAP-like lines and "N passed, N failed".
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
DOSSIER_BIN=${DOSSIER_BIN:-$REPO/target/release/dossier}
command -v emacs >/dev/null || { echo "emacs missing (run editors/test/install.sh)" >&2; exit 2; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dossier-eglot-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/bin" && ln -s "$(readlink -f "$DOSSIER_BIN")" "$TMP/bin/dossier"
cp -r "$REPO/fixtures" "$TMP/ws"

# The ```elisp blocks under "### Emacs (eglot)" in editors/README.md.
awk '/^### Emacs \(eglot\)/{s=1} /^### Vim/{s=0} s&&/^```elisp/{f=1;next} f&&/^```/{f=0} s&&f' "$REPO/editors/README.md" >"$TMP/snippet.el"
[ -s "$TMP/snippet.el" ] || { echo "not ok - [emacs-eglot] no elisp snippet found in editors/README.md"; echo "0 passed, 1 failed"; exit 1; }
cat >"$TMP/test.el" <<'ELISP'
(require 'eglot)
(require 'markdown-mode)
(load (expand-file-name "snippet.el" default-directory))
(defvar dossier-results nil)
(defun dossier-check (desc ok detail)
  (push (if ok (format "ok - [emacs-eglot] %s" desc)
          (format "not ok - [emacs-eglot] %s\n  # %S" desc detail))
        dossier-results)
  ok)
(defun dossier-wait (pred secs)
  (let ((end (+ (float-time) secs)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.1))
    (funcall pred)))
(defun dossier-finish ()
  (with-temp-file (getenv "EGLOT_RESULT")
    (insert (mapconcat #'identity (reverse dossier-results) "\n") "\n"))
  (kill-emacs 0))
(condition-case err
    (progn
      (find-file (expand-file-name "ws/notes/example.md" default-directory))
      (dossier-check "the note opens in markdown-mode" (eq major-mode 'markdown-mode) major-mode)
      (run-hooks 'post-command-hook) ; eglot-ensure connects after the current command
      (when (dossier-check "eglot connects to dossier" (dossier-wait #'eglot-current-server 30) (buffer-list))
        (dossier-check "the project root is the folder with dossier.toml"
                       (string-suffix-p "/ws/" (project-root (project-current))) (project-root (project-current)))
        (dossier-check "flymake shows the date conflict on October"
                       (dossier-wait (lambda ()
                                       (flymake-start)
                                       (seq-some (lambda (d)
                                                   (and (string-match-p "September" (flymake-diagnostic-text d))
                                                        (equal (buffer-substring (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                                                               "October")))
                                                 (flymake-diagnostics)))
                                     30)
                       (mapcar #'flymake-diagnostic-text (flymake-diagnostics)))
        (goto-char (point-min)) (search-forward "Ruto met") (backward-word 2)
        (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                      (eglot--TextDocumentPositionParams))))
          (dossier-check "hover on Ruto gives the William Ruto card"
                         (string-prefix-p "### William Ruto" (plist-get (plist-get hover :contents) :value)) hover))
        (goto-char (point-min)) (search-forward "important security")
        (call-interactively #'xref-find-definitions)
        (dossier-check "M-. on the quotation opens article 001 at line 19"
                       (and (string-suffix-p "corpus/001_f5c6b512ca1d2a60.txt" (or buffer-file-name ""))
                            (= (line-number-at-pos) 19))
                       (format "%s:%d" buffer-file-name (line-number-at-pos)))))
  (error (dossier-check "no Lisp error" nil err)))
(dossier-finish)
ELISP
start=$(date +%s%N)
(cd "$TMP" && PATH="$TMP/bin:$PATH" HOME="$TMP" EGLOT_RESULT="$TMP/result.txt" \
  timeout -k 5 120 emacs --batch -l "$TMP/test.el" </dev/null >"$TMP/emacs.log" 2>&1) || true
if [ -f "$TMP/result.txt" ]; then cat "$TMP/result.txt"; else echo "not ok - [emacs-eglot] emacs did not finish the test"; tail -n 20 "$TMP/emacs.log"; fi
p=$(grep -c '^ok ' "$TMP/result.txt" 2>/dev/null || true)
f=$(grep -c '^not ok ' "$TMP/result.txt" 2>/dev/null || true)
[ -f "$TMP/result.txt" ] || f=1
el=$((($(date +%s%N) - start) / 1000000))
echo "$p passed, $f failed"
printf 'emacs-eglot e2e: %d.%03d s\n' $((el / 1000)) $((el % 1000))
[ "$f" = 0 ] && [ "$p" -gt 0 ]
