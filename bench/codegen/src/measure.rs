//! Running a command while measuring its wall time and peak memory, and counting what a run
//! wrote to disk.
//!
//! Peak memory is the largest resident set of the command or any of its descendants (for
//! `cargo`, that is the biggest `rustc`). GNU time reports it from the kernel's accounting when
//! `/usr/bin/time` is GNU time; otherwise the process tree's `VmHWM` is sampled from `/proc`
//! every 20 ms, which can miss a peak in the last few milliseconds of a process.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of a command cost.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// Wall time from spawn to exit.
    pub wall: Duration,
    /// Peak resident set size in KiB, if it could be measured.
    pub peak_rss_kib: Option<u64>,
}

/// How peak memory is measured on this machine.
#[derive(Debug, Clone)]
pub enum RssProbe {
    /// `/usr/bin/time -f %M -o FILE`.
    GnuTime(PathBuf),
    /// Sampling `VmHWM` of the process tree in `/proc`.
    Proc,
}

impl RssProbe {
    /// GNU time when it is installed, else `/proc` sampling.
    pub fn detect() -> RssProbe {
        let time = PathBuf::from("/usr/bin/time");
        let gnu = Command::new(&time)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| {
                let text = [o.stdout, o.stderr].concat();
                String::from_utf8_lossy(&text).contains("GNU")
            });
        if gnu {
            RssProbe::GnuTime(time)
        } else {
            RssProbe::Proc
        }
    }

    /// How the table's header describes it.
    pub fn describe(&self) -> &'static str {
        match self {
            RssProbe::GnuTime(_) => {
                "GNU time's maximum resident set of the command and its descendants"
            }
            RssProbe::Proc => "VmHWM of the command's process tree, sampled every 20 ms",
        }
    }
}

/// A command to measure: program, arguments, working directory and extra environment.
#[derive(Debug, Clone)]
pub struct Job {
    pub program: OsString,
    pub args: Vec<OsString>,
    pub cwd: PathBuf,
    pub env: Vec<(String, OsString)>,
}

impl Job {
    pub fn new(program: impl Into<OsString>, cwd: &Path) -> Job {
        Job {
            program: program.into(),
            args: Vec::new(),
            cwd: cwd.to_owned(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, a: impl Into<OsString>) -> Job {
        self.args.push(a.into());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: Into<OsString>>(mut self, args: I) -> Job {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: &str, value: impl Into<OsString>) -> Job {
        self.env.push((key.to_owned(), value.into()));
        self
    }

    /// The command line, for logs and error messages.
    pub fn display(&self) -> String {
        std::iter::once(&self.program)
            .chain(&self.args)
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs the job with its stdout and stderr appended to `log`; fails if it exits unsuccessfully.
    pub fn measure(&self, probe: &RssProbe, log: &Path) -> Result<Measured, String> {
        let mut out = open_log(log)?;
        use std::io::Write as _;
        let _ = writeln!(out, "\n$ {}", self.display());
        let rss_file = log.with_extension("rss");
        let mut cmd = match probe {
            RssProbe::GnuTime(time) => {
                let mut c = Command::new(time);
                c.arg("-f").arg("%M").arg("-o").arg(&rss_file);
                c.arg(&self.program);
                c
            }
            RssProbe::Proc => Command::new(&self.program),
        };
        cmd.args(&self.args)
            .current_dir(&self.cwd)
            .stdin(Stdio::null())
            .stdout(
                out.try_clone()
                    .map_err(|e| format!("{}: {e}", log.display()))?,
            )
            .stderr(out);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("starting {}: {e}", self.display()))?;
        let mut sampled = 0u64;
        let status = loop {
            if let Some(status) = child
                .try_wait()
                .map_err(|e| format!("waiting for {}: {e}", self.display()))?
            {
                break status;
            }
            if matches!(probe, RssProbe::Proc) {
                sampled = sampled.max(tree_hwm_kib(child.id()));
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let wall = started.elapsed();
        let peak_rss_kib = match probe {
            RssProbe::GnuTime(_) => std::fs::read_to_string(&rss_file)
                .ok()
                .and_then(|t| t.lines().last().and_then(|l| l.trim().parse().ok())),
            RssProbe::Proc => (sampled > 0).then_some(sampled),
        };
        let _ = std::fs::remove_file(&rss_file);
        if !status.success() {
            return Err(format!(
                "{} failed ({status}); its output is in {}:\n{}",
                self.display(),
                log.display(),
                tail(log, 25)
            ));
        }
        Ok(Measured { wall, peak_rss_kib })
    }
}

fn open_log(log: &Path) -> Result<File, String> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|e| format!("{}: {e}", log.display()))
}

/// The last `n` lines of a file.
pub fn tail(path: &Path, n: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// The largest `VmHWM` among `root` and its descendants, in KiB (0 if unreadable).
fn tree_hwm_kib(root: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut parent_of = Vec::new();
    for e in entries.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        // `pid (comm) state ppid ...`; comm may contain spaces, so split after the last ')'.
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent_of.push((pid, ppid));
        }
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i];
        tree.extend(parent_of.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    tree.iter()
        .filter_map(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
        .filter_map(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .max()
        .unwrap_or(0)
}

/// Files, lines and bytes under a directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tree {
    /// Files whose name ends with the source extension.
    pub sources: u64,
    /// Lines of those files.
    pub source_lines: u64,
    /// Every file.
    pub files: u64,
    /// Bytes of every file.
    pub bytes: u64,
}

/// Counts what is under `dir`: source files (by extension, e.g. `"rs"`), their lines, and all
/// files and bytes. Directories named in `skip` (e.g. a target dir) are not entered.
pub fn count(dir: &Path, extension: &str, skip: &[&str]) -> Tree {
    let mut t = Tree::default();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                if !skip.iter().any(|s| e.file_name() == *s) {
                    todo.push(path);
                }
                continue;
            }
            t.files += 1;
            t.bytes += meta.len();
            if path.extension().is_some_and(|x| x == extension) {
                t.sources += 1;
                if let Ok(bytes) = std::fs::read(&path) {
                    t.source_lines += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                }
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sources_lines_and_bytes_and_skips_named_dirs() {
        let dir = std::env::temp_dir().join(format!("bench-codegen-count-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/nested")).expect("mkdir");
        std::fs::create_dir_all(dir.join("target")).expect("mkdir");
        std::fs::write(dir.join("src/lib.rs"), "a\nb\n").expect("write");
        std::fs::write(dir.join("src/nested/m.rs"), "c\n").expect("write");
        std::fs::write(dir.join("Cargo.toml"), "[package]\n").expect("write");
        std::fs::write(dir.join("target/x.rs"), "ignored\n").expect("write");
        let t = count(&dir, "rs", &["target"]);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            t,
            Tree {
                sources: 2,
                source_lines: 3,
                files: 3,
                bytes: 4 + 2 + 10
            }
        );
    }

    #[test]
    fn a_failing_command_reports_its_log() {
        let dir = std::env::temp_dir();
        let log = dir.join(format!("bench-codegen-fail-{}.log", std::process::id()));
        let err = Job::new("sh", &dir)
            .args(["-c", "echo boom >&2; exit 3"])
            .measure(&RssProbe::Proc, &log)
            .expect_err("exit 3");
        let _ = std::fs::remove_file(&log);
        assert!(err.contains("boom"), "{err}");
    }
}
