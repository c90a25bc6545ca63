//! `dossier entities` and `dossier dates` as a user runs them: formats, references, errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn dossier(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        // The index of extractions goes to the build folder, not the user's cache.
        .env(
            "DOSSIER_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
        )
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn entities_json_lists_kinds_aliases_roles_and_dated_facts() {
    let out = dossier(
        &[
            "entities",
            "--corpus",
            "fixtures/corpus",
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ruto = v
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "William Ruto")
        .unwrap();
    assert_eq!(ruto["kind"], "person");
    assert!(
        ruto["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "Ruto")
    );
    assert_eq!(ruto["roles"][0]["source"], "000_510b717c5958182e");
    assert_eq!(ruto["sources"], 4);
    let met = ruto["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["date"] == "2024-11-25")
        .unwrap();
    assert_eq!(
        (
            met["event"].as_str(),
            met["source"].as_str(),
            met["line"].as_u64()
        ),
        (Some("met"), Some("000_510b717c5958182e"), Some(7))
    );
}

#[test]
fn entities_text_reads_the_nearest_dossier_toml() {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        // The index of extractions goes to the build folder, not the user's cache.
        .env(
            "DOSSIER_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
        )
        .arg("entities")
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/notes"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Aden Duale (person) — "), "{text}");
    assert!(text.ends_with("42 entities from 5 articles\n"), "{text}");
}

#[test]
fn dates_gives_offsets_and_values_and_takes_the_front_matter_date() {
    let text = "---\ndate: 2024-11-08\n---\nRuto spoke with Trump today, a day after the call of November 7.\n";
    let out = dossier(&["dates", "--format", "json", "-"], Some(text));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows: Vec<(String, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (s, e) = (
                r["start"].as_u64().unwrap() as usize,
                r["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(r["text"].as_str().unwrap(), &text[s..e]);
            (
                r["text"].as_str().unwrap().to_string(),
                r["value"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert!(
        rows.contains(&("today".into(), "2024-11-08".into())),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("November 7".into(), "2024-11-07".into())),
        "{rows:?}"
    );
    // --ref wins over the front matter.
    let out = dossier(&["dates", "--ref", "2020-01-01", "-"], Some(text));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2020-01-01\ttoday"));
}

#[test]
fn bad_arguments_and_missing_files_are_clear_errors() {
    let out = dossier(&["dates", "--ref", "not-a-date", "-"], Some(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--ref not-a-date"));
    let out = dossier(&["dates", "/no/such/file.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /no/such/file.txt"));
    let out = dossier(&["entities", "--corpus", "/no/such/folder"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/folder"));
    // Non-UTF-8 input is decoded lossily with a warning, not refused.
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        // The index of extractions goes to the build folder, not the user's cache.
        .env(
            "DOSSIER_CACHE_DIR",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/dossier-cache"),
        )
        .args(["dates", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .unwrap()
                .write_all(b"On 25 November 2024 \xff\xfe we met.")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("2024-11-25"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid UTF-8"));
}
