//! `dossier check --format sarif`: a SARIF 2.1.0 log that meets the schema's requirements for what it
//! emits (required properties, allowed properties, value ranges, consistent rule references).

mod cli_support;
use cli_support::{dossier, fixtures};
use serde_json::Value;

/// Properties the SARIF 2.1.0 schema allows on each object Dossier writes (the schema forbids others).
fn allowed(kind: &str) -> &'static [&'static str] {
    match kind {
        "log" => &[
            "$schema",
            "version",
            "runs",
            "inlineExternalProperties",
            "properties",
        ],
        "run" => &[
            "tool",
            "results",
            "columnKind",
            "originalUriBaseIds",
            "artifacts",
            "invocations",
            "properties",
        ],
        "driver" => &[
            "name",
            "version",
            "semanticVersion",
            "informationUri",
            "rules",
            "properties",
        ],
        "rule" => &[
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "defaultConfiguration",
            "helpUri",
            "properties",
        ],
        "result" => &[
            "ruleId",
            "ruleIndex",
            "level",
            "message",
            "locations",
            "relatedLocations",
            "fixes",
            "properties",
        ],
        "location" => &["id", "physicalLocation", "message", "properties"],
        "physical" => &["artifactLocation", "region", "properties"],
        "artifact" => &["uri", "uriBaseId", "index", "properties"],
        "region" => &[
            "startLine",
            "startColumn",
            "endLine",
            "endColumn",
            "charOffset",
            "charLength",
            "snippet",
            "message",
            "properties",
        ],
        "fix" => &["description", "artifactChanges", "properties"],
        "change" => &["artifactLocation", "replacements", "properties"],
        "replacement" => &["deletedRegion", "insertedContent", "properties"],
        _ => &[],
    }
}

fn keys_ok(v: &Value, kind: &str) {
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("{kind} is an object: {v}"));
    for k in obj.keys() {
        assert!(
            allowed(kind).contains(&k.as_str()),
            "{kind} may not have `{k}`"
        );
    }
}

fn text(v: &Value) -> &str {
    v["text"]
        .as_str()
        .unwrap_or_else(|| panic!("a message with text: {v}"))
}

fn check_region(r: &Value) {
    keys_ok(r, "region");
    let start = r["startLine"].as_u64().expect("startLine");
    assert!(start >= 1);
    if let Some(end) = r["endLine"].as_u64() {
        assert!(end >= start);
    }
    for k in ["startColumn", "endColumn"] {
        if let Some(c) = r.get(k) {
            assert!(c.as_u64().expect("column") >= 1);
        }
    }
}

fn check_physical(p: &Value) {
    keys_ok(p, "physical");
    keys_ok(&p["artifactLocation"], "artifact");
    let uri = p["artifactLocation"]["uri"].as_str().expect("uri");
    assert!(
        !uri.is_empty() && !uri.contains([' ', '\\', '"', '<', '>']),
        "a URI reference: {uri}"
    );
    check_region(&p["region"]);
}

fn validate(log: &Value) {
    keys_ok(log, "log");
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .expect("$schema")
            .contains("sarif-2.1.0")
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    keys_ok(run, "run");
    assert!(matches!(
        run["columnKind"].as_str(),
        Some("utf16CodeUnits" | "unicodeCodePoints")
    ));
    let driver = &run["tool"]["driver"];
    keys_ok(driver, "driver");
    assert_eq!(driver["name"], "dossier");
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    for r in rules {
        keys_ok(r, "rule");
        assert!(!text(&r["shortDescription"]).is_empty());
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "rule ids are unique");
    for result in run["results"].as_array().expect("results") {
        keys_ok(result, "result");
        assert!(!text(&result["message"]).is_empty());
        let rule = result["ruleId"].as_str().expect("ruleId");
        let ix = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids[ix], rule);
        assert!(matches!(
            result["level"].as_str(),
            Some("none" | "note" | "warning" | "error")
        ));
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty());
        for l in locations {
            keys_ok(l, "location");
            check_physical(&l["physicalLocation"]);
        }
        let mut related_ids = Vec::new();
        for l in result["relatedLocations"].as_array().into_iter().flatten() {
            keys_ok(l, "location");
            related_ids.push(l["id"].as_u64().expect("id"));
            assert!(!text(&l["message"]).is_empty());
            check_physical(&l["physicalLocation"]);
        }
        let n = related_ids.len();
        related_ids.dedup();
        assert_eq!(related_ids.len(), n, "related location ids are unique");
        for f in result["fixes"].as_array().into_iter().flatten() {
            keys_ok(f, "fix");
            assert!(!text(&f["description"]).is_empty());
            for c in f["artifactChanges"].as_array().expect("changes") {
                keys_ok(c, "change");
                keys_ok(&c["artifactLocation"], "artifact");
                for r in c["replacements"].as_array().expect("replacements") {
                    keys_ok(r, "replacement");
                    check_region(&r["deletedRegion"]);
                }
            }
        }
    }
}

#[test]
fn sarif_log_has_rules_locations_and_the_source_passage() {
    let (code, out, err) = dossier(
        &[
            "check",
            "--format",
            "sarif",
            "notes/example.md",
            "notes/quotes-and-citations.md",
        ],
        &fixtures(),
    );
    assert_eq!(code, 1, "{err}");
    let log: Value = serde_json::from_str(&out).expect("JSON");
    validate(&log);
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(results.len() > 1);
    let conflict = results
        .iter()
        .find(|r| r["ruleId"] == "date-conflict")
        .expect("the date conflict");
    let loc = &conflict["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "notes/example.md");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 5);
    assert_eq!(loc["region"]["startColumn"], 113);
    assert_eq!(loc["region"]["snippet"]["text"], "October");
    let src = &conflict["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        src["artifactLocation"]["uri"],
        "corpus/001_f5c6b512ca1d2a60.txt"
    );
    assert_eq!(src["region"]["startLine"], 37);
    assert!(
        src["region"]["snippet"]["text"]
            .as_str()
            .expect("snippet")
            .contains("September"),
        "{src}"
    );
    assert_eq!(
        conflict["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "September"
    );
}

#[test]
fn sarif_with_no_findings_is_still_a_valid_log() {
    let (code, out, _) = dossier(
        &["check", "--format", "sarif", "notes/agreements.md"],
        &fixtures(),
    );
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&out).expect("JSON");
    validate(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
}
