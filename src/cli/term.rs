//! Writing to a terminal: control characters in corpus text and file names made harmless.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether a character must not reach a terminal raw: C0 and C1 controls (escape sequences, OSC 8
/// links, carriage returns, newlines), DEL, bidirectional overrides and isolates (which reorder what
/// follows them), and the Unicode line and paragraph separators.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Text (corpus passages, file names, messages) made safe to print on one line of a terminal: every
/// unsafe character is shown escaped (`\n`, `\t`, `\r`, else `\u{1b}`), so nothing can move the cursor,
/// set the window title, open a link, clear the screen or reverse the text after it.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Pretty JSON safe for a terminal: serde escapes C0 controls, and this also writes the other unsafe
/// characters (C1 controls, bidirectional overrides, line separators) as `\uXXXX` escapes, which
/// leaves the JSON equal (they can only occur inside strings).
pub fn json(value: &impl serde::Serialize) -> String {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    if !text.chars().any(is_unsafe) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Several lines for a terminal: each line [`clean`], the line breaks kept.
pub fn clean_lines(s: &str) -> String {
    s.split_inclusive('\n')
        .map(|l| {
            let (body, nl) = l.strip_suffix('\n').map_or((l, ""), |b| (b, "\n"));
            format!("{}{nl}", clean(body))
        })
        .collect()
}

/// A path for a terminal: shown as [`clean`] text.
pub fn path(p: &std::path::Path) -> String {
    clean(&p.display().to_string()).into_owned()
}

/// A progress bar on stderr while a corpus loads: drawn only when stderr is a terminal and the load
/// has taken more than a moment, so quick runs, pipes and CI logs see nothing.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: std::sync::atomic::AtomicBool,
    enabled: bool,
}

/// How long a load runs before the bar appears.
const PROGRESS_DELAY: Duration = Duration::from_millis(300);

impl Progress {
    /// A bar for a phase (`"reading"`, `"indexing"`), enabled when stderr is a terminal.
    pub fn new(phase: &str) -> Progress {
        Progress::with_terminal(phase, std::io::stderr().is_terminal())
    }

    /// A bar that draws only when `terminal` is true.
    pub fn with_terminal(phase: &str, terminal: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template("dossier: {msg:9} [{bar:30}] {pos}/{len} articles")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(phase.to_string());
        Progress {
            bar,
            started: Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
            enabled: terminal,
        }
    }

    /// The progress callback for [`crate::corpus::load`] and the knowledge base.
    pub fn update(&self, done: usize, total: usize) {
        self.bar.set_length(total as u64);
        self.bar.set_position(done as u64);
        if self.enabled
            && done < total
            && self.started.elapsed() >= PROGRESS_DELAY
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Whether the bar has been drawn.
    #[cfg(test)]
    pub fn is_visible(&self) -> bool {
        self.shown.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_links_bidi_and_newlines_are_shown_escaped() {
        let evil = "a\x1b]0;pwned\x07b\x1b[2Jc\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\d\u{202E}fdp.exe\nnext\u{9b}\u{2066}";
        let c = clean(evil);
        assert!(!c.chars().any(is_unsafe), "{c}");
        assert_eq!(
            c,
            "a\\u{1b}]0;pwned\\u{7}b\\u{1b}[2Jc\\u{1b}]8;;http://x\\u{1b}\\link\\u{1b}]8;;\\u{1b}\\d\\u{202e}fdp.exe\\nnext\\u{9b}\\u{2066}"
        );
        assert!(matches!(
            clean("Plain text — “quoted”, café."),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn progress_is_silent_off_a_terminal() {
        let p = Progress::with_terminal("reading", false);
        std::thread::sleep(PROGRESS_DELAY);
        p.update(1, 10);
        assert!(!p.is_visible());
        let p = Progress::with_terminal("reading", true);
        p.update(1, 10);
        assert!(!p.is_visible(), "not before a moment has passed");
    }

    #[test]
    fn json_output_escapes_what_serde_leaves_raw() {
        let v = serde_json::json!({ "name": "evil\u{202E}txt\u{9b}2J\x1b]0;x\x07" });
        let text = json(&v);
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        assert!(text.contains("\\u202e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back, v);
    }
}
