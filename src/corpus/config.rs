//! The workspace configuration: `dossier.toml`, its corpus folders and size limit, and finding the
//! nearest one above a note.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::LoadOptions;

/// Name of the configuration file that marks a Dossier workspace root.
pub const CONFIG_FILE: &str = "dossier.toml";

/// The workspace configuration, from `dossier.toml`.
///
/// ```toml
/// corpus = ["articles/"]      # or corpus = "articles/"; relative to this file
/// max_file_size = "8 MiB"     # optional; bytes, or a size with B/KB/KiB/MB/MiB/GB/GiB
/// cache = ".dossier-cache"    # optional; the index folder (relative to this file), or false for none
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The `dossier.toml` file (absolute).
    pub path: PathBuf,
    /// Corpus folders, absolute, lexically normalised, without duplicates.
    pub corpus: Vec<PathBuf>,
    pub max_file_size: Option<u64>,
    /// Where the index of extractions is kept (`cache`).
    pub cache: CacheSetting,
    /// Unknown keys and similar non-fatal issues, human-readable, without
    /// the file name (callers print `path: warning`).
    pub warnings: Vec<String>,
}

/// The `cache` key: where the persistent index of per-article extractions lives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CacheSetting {
    /// Not set (or `cache = true`): the user's cache folder.
    #[default]
    Default,
    /// `cache = false`: no index; every start extracts every article.
    Off,
    /// `cache = "folder"`: this folder, absolute (a relative path is relative to `dossier.toml`).
    Folder(PathBuf),
}

/// A `dossier.toml` that cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file cannot be read.
    Io(PathBuf, io::Error),
    /// The file is not valid TOML (message from the TOML parser).
    Parse(PathBuf, String),
    /// A known key has a value of the wrong kind.
    Invalid(PathBuf, String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Io(p, e) => write!(f, "cannot read {}: {e}", p.display()),
            ConfigError::Parse(p, m) => write!(f, "{} is not valid TOML: {m}", p.display()),
            ConfigError::Invalid(p, m) => write!(f, "{}: {m}", p.display()),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Lexical normalisation: drops `.`, resolves `..` against earlier parts.
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Parses a size: an integer number of bytes, or a string like `"8 MiB"`.
pub(super) fn parse_size(v: &toml::Value) -> Result<u64, String> {
    let bad = || {
        format!(
            "`max_file_size` must be a positive number of bytes or a size like \"8 MiB\", not {v}"
        )
    };
    let n = match v {
        toml::Value::Integer(n) => u64::try_from(*n).map_err(|_| bad())?,
        toml::Value::String(s) => {
            let s = s.trim();
            let split = s
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(s.len());
            let (num, unit) = s.split_at(split);
            let num: f64 = num.parse().map_err(|_| bad())?;
            let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
                "" | "b" => 1,
                "kb" => 1000,
                "kib" | "k" => 1024,
                "mb" => 1000 * 1000,
                "mib" | "m" => 1024 * 1024,
                "gb" => 1000 * 1000 * 1000,
                "gib" | "g" => 1024 * 1024 * 1024,
                _ => return Err(bad()),
            };
            let bytes = num * mult as f64;
            if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
                return Err(bad());
            }
            bytes as u64
        }
        _ => return Err(bad()),
    };
    if n == 0 { Err(bad()) } else { Ok(n) }
}

impl Config {
    /// Reads and parses a `dossier.toml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = fs::read_to_string(path).map_err(|e| ConfigError::Io(path.to_path_buf(), e))?;
        Config::parse(&text, path)
    }

    /// Parses `dossier.toml` text; `path` is the file it came from (paths in
    /// it are relative to its folder). Unknown keys are warnings.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let abs = normalize(&abs);
        let base = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let table: toml::Table = toml::from_str(text)
            .map_err(|e| ConfigError::Parse(abs.clone(), e.to_string().trim_end().to_string()))?;
        let invalid = |m: String| ConfigError::Invalid(abs.clone(), m);
        let mut config = Config {
            path: abs.clone(),
            corpus: Vec::new(),
            max_file_size: None,
            cache: CacheSetting::Default,
            warnings: Vec::new(),
        };
        let mut has_corpus = false;
        for (key, value) in &table {
            match key.as_str() {
                "corpus" => {
                    has_corpus = true;
                    let bad = || {
                        invalid(
                            "`corpus` must be a folder or a list of folders, e.g. corpus = [\"articles/\"]"
                                .to_string(),
                        )
                    };
                    let items: Vec<&toml::Value> = match value {
                        toml::Value::Array(items) => items.iter().collect(),
                        single => vec![single],
                    };
                    for item in items {
                        let toml::Value::String(s) = item else {
                            return Err(bad());
                        };
                        if s.trim().is_empty() {
                            return Err(bad());
                        }
                        let dir = normalize(&base.join(s.trim()));
                        if !config.corpus.contains(&dir) {
                            config.corpus.push(dir);
                        }
                    }
                }
                "max_file_size" => config.max_file_size = Some(parse_size(value).map_err(invalid)?),
                "cache" => {
                    config.cache = match value {
                        toml::Value::Boolean(true) => CacheSetting::Default,
                        toml::Value::Boolean(false) => CacheSetting::Off,
                        toml::Value::String(s) if !s.trim().is_empty() => {
                            CacheSetting::Folder(normalize(&base.join(s.trim())))
                        }
                        _ => {
                            return Err(invalid(
                                "`cache` must be a folder (cache = \".dossier-cache\") or false"
                                    .to_string(),
                            ));
                        }
                    }
                }
                other => config.warnings.push(format!(
                    "unknown key `{other}`; ignored (known keys: cache, corpus, max_file_size)"
                )),
            }
        }
        if config.corpus.is_empty() {
            config.warnings.push(format!(
                "{}; no articles will be loaded",
                if has_corpus {
                    "`corpus` is empty"
                } else {
                    "no `corpus` set (e.g. corpus = [\"articles/\"])"
                }
            ));
        }
        Ok(config)
    }

    /// The [`LoadOptions`] this configuration asks for.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions::from_config(self)
    }
}

/// The nearest `dossier.toml` in `start` (a note file or a folder) or its
/// ancestors.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let dir = if start.is_file() {
        start.parent()?
    } else {
        start.as_path()
    };
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::test_support::*;
    use crate::corpus::*;

    use std::path::{Path, PathBuf};

    // -- configuration ----------------------------------------------------------

    #[test]
    fn config_paths_are_relative_to_the_toml() {
        let dir = TempDir::new("config");
        let toml = dir.write(
            "ws/dossier.toml",
            "corpus = [\"articles/\", \"../shared/corpus\", \"./articles\"]\n",
        );
        let config = Config::load(&toml).expect("config");
        assert_eq!(config.path, toml);
        assert_eq!(
            config.corpus,
            [
                dir.path().join("ws/articles"),
                dir.path().join("shared/corpus")
            ]
        );
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert_eq!(config.max_file_size, None);
        assert_eq!(config.load_options(), LoadOptions::default());
    }

    #[test]
    fn config_accepts_a_single_string_and_a_size() {
        let config = Config::parse(
            "corpus = \"articles\"\nmax_file_size = \"2 MiB\"\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.corpus, [PathBuf::from("/ws/articles")]);
        assert_eq!(config.max_file_size, Some(2 * 1024 * 1024));
        assert_eq!(
            LoadOptions::from_config(&config).max_file_size,
            2 * 1024 * 1024
        );
        let config = Config::parse(
            "corpus = \"/abs\"\nmax_file_size = 1000\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.corpus, [PathBuf::from("/abs")]);
        assert_eq!(config.max_file_size, Some(1000));
    }

    #[test]
    fn config_unknown_keys_warn() {
        let config = Config::parse(
            "corpus = [\"a\"]\nfoo = 1\n[check]\nignore = [\"unverified-quote\"]\n",
            Path::new("/ws/dossier.toml"),
        )
        .expect("config");
        assert_eq!(config.warnings.len(), 2, "{:?}", config.warnings);
        assert!(config.warnings.iter().any(|w| w.contains("`foo`")));
        assert!(config.warnings.iter().any(|w| w.contains("`check`")));
        let empty = Config::parse("", Path::new("/ws/dossier.toml")).expect("empty config");
        assert!(empty.corpus.is_empty());
        assert!(empty.warnings[0].contains("no `corpus`"));
    }

    #[test]
    fn config_errors_name_the_file() {
        let dir = TempDir::new("badconfig");
        let toml = dir.write("dossier.toml", "corpus = [\"a\"\n");
        let err = Config::load(&toml).expect_err("bad toml");
        assert!(matches!(err, ConfigError::Parse(..)));
        assert!(
            err.to_string().contains(&toml.display().to_string()),
            "{err}"
        );
        let err = Config::parse("corpus = 3", &toml).expect_err("bad type");
        assert!(matches!(err, ConfigError::Invalid(..)));
        assert!(err.to_string().contains("corpus"));
        let err =
            Config::parse("corpus = \"a\"\nmax_file_size = \"huge\"", &toml).expect_err("bad size");
        assert!(err.to_string().contains("max_file_size"));
        let err = Config::load(&dir.path().join("missing.toml")).expect_err("missing");
        assert!(matches!(err, ConfigError::Io(..)));
    }

    #[test]
    fn config_cache_is_a_folder_relative_to_the_toml_or_false() {
        let at = Path::new("/ws/dossier.toml");
        let c = Config::parse("corpus = \"a\"", at).expect("config");
        assert_eq!(c.cache, CacheSetting::Default);
        let c = Config::parse("corpus = \"a\"\ncache = \"../caches/x\"", at).expect("config");
        assert_eq!(c.cache, CacheSetting::Folder(PathBuf::from("/caches/x")));
        let c = Config::parse("corpus = \"a\"\ncache = false", at).expect("config");
        assert_eq!(c.cache, CacheSetting::Off);
        let c = Config::parse("corpus = \"a\"\ncache = true", at).expect("config");
        assert_eq!(c.cache, CacheSetting::Default);
        let err = Config::parse("corpus = \"a\"\ncache = 3", at).expect_err("bad cache");
        assert!(err.to_string().contains("cache"), "{err}");
    }

    #[test]
    fn find_config_walks_up_to_the_nearest_toml() {
        let dir = TempDir::new("find");
        let outer = dir.write("dossier.toml", "corpus = \"a\"\n");
        let inner = dir.write("ws/dossier.toml", "corpus = \"b\"\n");
        let note = dir.write("ws/notes/deep/note.md", "Note.\n");
        assert_eq!(find_config(&note), Some(inner.clone()));
        assert_eq!(find_config(&dir.path().join("ws/notes")), Some(inner));
        assert_eq!(find_config(&dir.path().join("other")), Some(outer));
    }
}
