//! A bounded soak test of `dossier lsp`: interleaved full and incremental edits, hovers, definitions and
//! cancellations, without waiting between them; every answer must equal the answer for the document version
//! current when the request arrived, and published diagnostics never go back to an older version.

mod support;

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use support::client::{Client, file_uri};

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Line 0 of each variant has a name under character 20 (or nothing); line 1 is filler that incremental
/// edits grow without changing what line 0 answers.
const VARIANTS: &[&str] = &[
    "Kenyan President William Ruto spoke.\n",
    "Defence Secretary Aden Duale spoke.\n",
    "Secretary of State Blinken spoke.\n",
    "Nothing of note was said that day.\n",
];

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// What a hover and a definition answer, reduced to something comparable.
fn hover_key(r: &Value) -> String {
    r["result"]["contents"]["value"]
        .as_str()
        .and_then(|s| s.lines().next())
        .unwrap_or("")
        .to_string()
}

fn definition_key(r: &Value) -> String {
    r["result"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| format!("{}@{}", l["targetUri"], l["targetSelectionRange"]))
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default()
}

#[test]
fn interleaved_edits_hovers_definitions_and_cancellations() {
    let mut c = Client::spawn(&bin(), &fixtures());
    c.initialize(&fixtures(), &["utf-16"], json!({}));
    assert_eq!(c.wait_ready()["params"]["state"], "ready");
    let uri = file_uri(&fixtures().join("notes").join("soak.md"));
    let pos = json!({"line": 0, "character": 20});
    let params = json!({"textDocument": {"uri": uri}, "position": pos});

    // The expected answers, one variant at a time with nothing else going on.
    let mut expect_hover = Vec::new();
    let mut expect_def = Vec::new();
    c.open(&uri, VARIANTS[0], 0);
    for (i, v) in VARIANTS.iter().enumerate() {
        c.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": i + 1}, "contentChanges": [{"text": v}]}),
        );
        let id = c.request_async("textDocument/hover", params.clone());
        expect_hover.push(hover_key(&c.response(id)));
        let id = c.request_async("textDocument/definition", params.clone());
        expect_def.push(definition_key(&c.response(id)));
    }
    assert!(
        expect_hover[0].starts_with("### William Ruto"),
        "{expect_hover:?}"
    );
    assert!(expect_hover[3].is_empty(), "{expect_hover:?}");

    let started = Instant::now();
    let mut rng = Rng(0x5EED_CAFE);
    let mut version = VARIANTS.len() as i64;
    let mut current = VARIANTS.len() - 1;
    // Request id → (variant at arrival, kind, cancelled).
    let mut pending: HashMap<i64, (usize, &str, bool)> = HashMap::new();
    for _ in 0..600 {
        match rng.below(10) {
            0..=2 => {
                current = rng.below(VARIANTS.len());
                version += 1;
                c.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": VARIANTS[current]}]}),
                );
            }
            3 => {
                // Type on line 1; line 0 is unchanged.
                version += 1;
                let at = json!({"line": 1, "character": 0});
                c.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "x"}]}),
                );
            }
            4..=6 => {
                let id = c.request_async("textDocument/hover", params.clone());
                pending.insert(id, (current, "hover", false));
            }
            7..=8 => {
                let id = c.request_async("textDocument/definition", params.clone());
                pending.insert(id, (current, "definition", false));
            }
            _ => {
                let id = c.request_async("textDocument/hover", params.clone());
                c.notify("$/cancelRequest", json!({"id": id}));
                pending.insert(id, (current, "hover", true));
            }
        }
    }
    let mut answered = 0;
    let mut cancelled = 0;
    let mut ids: Vec<i64> = pending.keys().copied().collect();
    ids.sort();
    for id in ids {
        let (variant, kind, was_cancelled) = pending[&id];
        let r = c.response(id);
        if r.get("error").is_some() {
            assert!(
                was_cancelled && r["error"]["code"] == -32800,
                "request {id} failed: {r}"
            );
            cancelled += 1;
            continue;
        }
        let (got, want) = match kind {
            "hover" => (hover_key(&r), &expect_hover[variant]),
            _ => (definition_key(&r), &expect_def[variant]),
        };
        assert_eq!(
            &got, want,
            "{kind} {id} answered for another version than the one at its arrival (variant {variant})"
        );
        answered += 1;
    }
    assert!(answered > 200, "{answered} answered, {cancelled} cancelled");
    assert!(started.elapsed() < Duration::from_secs(120));

    // Diagnostics: the last version comes, and no older one after a newer one.
    let _ = c.diagnostics(&uri, version as i32);
    let mut last = i64::MIN;
    for m in c.backlog.iter().filter(|m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    }) {
        let v = m["params"]["version"].as_i64().unwrap_or(i64::MIN);
        assert!(
            v >= last,
            "diagnostics went back from version {last} to {v}"
        );
        last = v;
    }
    assert_eq!(c.shutdown().code(), Some(0));
}
