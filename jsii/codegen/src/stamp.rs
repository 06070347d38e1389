//! The generation stamp: what one run of the generator read and wrote, so that the next run
//! with `--stamp` can answer "up to date" by looking at file sizes and modification times
//! instead of parsing 90 MB of assemblies.
//!
//! An app command (a new app's `bin/app`, this repository's `bin/cdk-build`) runs the generator
//! before every build; the stamp makes that cost a few milliseconds when neither the bindings
//! config nor `node_modules` changed. The format has one owner, this module: the CLI writes and
//! reads it, and other tools ask the CLI (`--list-inputs`) instead of reading it.
//!
//! A stamp holds only when every line still describes the disk: the same generator executable,
//! every input (the config, npm's `node_modules/.package-lock.json`, each package's
//! `package.json` and assembly, each `[extern]` manifest) and every generated file with the same
//! size and modification time, absent files still absent. Anything it cannot read or parse
//! means "generate again", never "up to date".

use std::path::{Path, PathBuf};

/// The first line of every stamp; another first line means another format: not up to date.
pub const HEADER: &str = "jsii-codegen stamp v1";

/// A file's size and modification time (nanoseconds since the Unix epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub modified_ns: u128,
}

/// One file a run read or wrote, and what it looked like then (`None`: it did not exist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// Its stat at the time, or `None` when it was absent.
    pub stat: Option<Stat>,
}

/// What a run read (`inputs`, the generator itself first) and wrote (`outputs`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stamp {
    /// The generator's version (`CARGO_PKG_VERSION`).
    pub version: String,
    /// The files the run read, starting with the generator's executable.
    pub inputs: Vec<Entry>,
    /// The files the run wrote.
    pub outputs: Vec<Entry>,
}

impl Stamp {
    /// The stamp as text: a header, the version, then one line per file (the path last, so it
    /// may hold spaces).
    pub fn render(&self) -> String {
        let mut out = format!("{HEADER}\nversion {}\n", self.version);
        for (kind, entries) in [("input", &self.inputs), ("output", &self.outputs)] {
            for e in entries {
                match e.stat {
                    Some(s) => out.push_str(&format!(
                        "{kind} {} {} {}\n",
                        s.size,
                        s.modified_ns,
                        e.path.display()
                    )),
                    None => out.push_str(&format!("{kind} absent {}\n", e.path.display())),
                }
            }
        }
        out
    }

    /// Parses [`Stamp::render`]'s text; `None` for anything else.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let version = lines.next()?.strip_prefix("version ")?.to_owned();
        let mut stamp = Stamp {
            version,
            ..Stamp::default()
        };
        for line in lines {
            let (kind, rest) = line.split_once(' ')?;
            let entry = if let Some(path) = rest.strip_prefix("absent ") {
                Entry {
                    path: PathBuf::from(path),
                    stat: None,
                }
            } else {
                let (size, rest) = rest.split_once(' ')?;
                let (modified, path) = rest.split_once(' ')?;
                Entry {
                    path: PathBuf::from(path),
                    stat: Some(Stat {
                        size: size.parse().ok()?,
                        modified_ns: modified.parse().ok()?,
                    }),
                }
            };
            match kind {
                "input" => stamp.inputs.push(entry),
                "output" => stamp.outputs.push(entry),
                _ => return None,
            }
        }
        (!stamp.inputs.is_empty() && !stamp.outputs.is_empty()).then_some(stamp)
    }

    /// Whether every file still looks as the stamp says, by `stat` (which returns `None` for a
    /// file that does not exist), for a generator of `version`. The first file that differs is
    /// returned as the reason.
    pub fn holds(&self, version: &str, stat: impl Fn(&Path) -> Option<Stat>) -> Result<(), String> {
        if self.version != version {
            return Err(format!(
                "made by jsii-codegen {}, this is {version}",
                self.version
            ));
        }
        for e in self.inputs.iter().chain(&self.outputs) {
            if stat(&e.path) != e.stat {
                return Err(format!("{} changed", e.path.display()));
            }
        }
        Ok(())
    }

    /// The input paths (without the generator itself), for tools that fingerprint a build.
    pub fn input_paths(&self) -> impl Iterator<Item = &Path> {
        self.inputs.iter().skip(1).map(|e| e.path.as_path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn stat(size: u64, modified_ns: u128) -> Option<Stat> {
        Some(Stat { size, modified_ns })
    }

    fn sample() -> Stamp {
        Stamp {
            version: "0.1.0".into(),
            inputs: vec![
                Entry {
                    path: "/bin/jsii-codegen".into(),
                    stat: stat(10, 1),
                },
                Entry {
                    path: "/p/bindings.toml".into(),
                    stat: stat(20, 2),
                },
                Entry {
                    path: "/p/node_modules/.package-lock.json".into(),
                    stat: None,
                },
            ],
            outputs: vec![Entry {
                path: "/p/bindings/a b/src/lib.rs".into(),
                stat: stat(30, 1_700_000_000_123_456_789),
            }],
        }
    }

    #[test]
    fn round_trips() {
        let s = sample();
        assert_eq!(Stamp::parse(&s.render()), Some(s));
    }

    #[test]
    fn anything_it_cannot_read_is_not_a_stamp() {
        let text = sample().render();
        for broken in [
            text.replace(HEADER, "jsii-codegen stamp v0"),
            text.replace("input 20 2", "input twenty 2"),
            text.replace("output ", "produced "),
            format!("{HEADER}\nversion 0.1.0\n"),
            String::new(),
        ] {
            assert_eq!(Stamp::parse(&broken), None, "{broken}");
        }
    }

    #[test]
    fn holds_only_while_every_file_is_unchanged() {
        let s = sample();
        let disk: BTreeMap<PathBuf, Stat> = s
            .inputs
            .iter()
            .chain(&s.outputs)
            .filter_map(|e| Some((e.path.clone(), e.stat?)))
            .collect();
        assert_eq!(s.holds("0.1.0", |p| disk.get(p).copied()), Ok(()));
        assert!(s.holds("0.2.0", |p| disk.get(p).copied()).is_err());
        // A touched config, a deleted output, an npm install that wrote its lockfile.
        for (path, now) in [
            ("/p/bindings.toml", stat(20, 3)),
            ("/p/bindings/a b/src/lib.rs", None),
            ("/p/node_modules/.package-lock.json", stat(1, 1)),
        ] {
            let mut changed = disk.clone();
            match now {
                Some(st) => changed.insert(path.into(), st),
                None => changed.remove(Path::new(path)),
            };
            let err = s
                .holds("0.1.0", |p| changed.get(p).copied())
                .expect_err(path);
            assert!(err.contains(path), "{err}");
        }
        let inputs: Vec<&Path> = s.input_paths().collect();
        assert_eq!(inputs.len(), 2);
        assert_eq!(inputs[0], Path::new("/p/bindings.toml"));
    }
}
