//! The machine facts above the table, the generator's summary lines, and the one table
//! `bin/bench codegen` prints.

use std::fmt::Write as _;
use std::time::Duration;

/// The CPU model, logical cores and memory, from `/proc` (Linux), else what std knows.
pub fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(|| "unknown CPU".to_owned(), |(_, m)| m.trim().to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or_else(|| "unknown memory".to_owned(), |kib| gib(kib) + " RAM");
    format!("{model}, {cores} logical cores, {mem}")
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` prints them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// What the generator says it generated (its `jsii-codegen: <npm>@<version> -> ...` lines),
/// summed over crates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub crates: u64,
    pub classes: u64,
    pub interfaces: u64,
    pub structs: u64,
    pub enums: u64,
    pub unions: u64,
    pub members: u64,
}

impl Generated {
    /// Reads the summary lines out of the generator's stderr.
    pub fn parse(log: &str) -> Generated {
        let mut g = Generated::default();
        for line in log.lines() {
            let Some(rest) = line.strip_prefix("jsii-codegen: ") else {
                continue;
            };
            let Some((_, counts)) = rest.split_once(": ").filter(|_| rest.contains(" -> ")) else {
                continue;
            };
            g.crates += 1;
            let words: Vec<&str> = counts
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                let Ok(n) = pair[0].parse::<u64>() else {
                    continue;
                };
                match pair[1] {
                    "classes" => g.classes += n,
                    "interfaces" => g.interfaces += n,
                    "structs" => g.structs += n,
                    "enums" => g.enums += n,
                    "unions" => g.unions += n,
                    "members" => g.members += n,
                    _ => {}
                }
            }
        }
        g
    }

    /// jsii types (classes, interfaces, structs, enums; unions are generated extras).
    pub fn types(&self) -> u64 {
        self.classes + self.interfaces + self.structs + self.enums
    }

    pub fn describe(&self) -> String {
        format!(
            "{} types ({} classes, {} interfaces, {} structs, {} enums), {} union enums, {} members",
            thousands(self.types()),
            thousands(self.classes),
            thousands(self.interfaces),
            thousands(self.structs),
            thousands(self.enums),
            thousands(self.unions),
            thousands(self.members)
        )
    }
}

/// `12.3 s`, or `4 min 05 s` from a minute up.
pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        let whole = s.round() as u64;
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

/// `2.47 GiB` or `512 MiB`.
pub fn gib(kib: u64) -> String {
    let mib = kib as f64 / 1024.0;
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
    }
}

/// `3.82 M`, `239.2 k` or `677`.
pub fn count(n: u64) -> String {
    match n {
        0..10_000 => n.to_string(),
        10_000..1_000_000 => format!("{:.1} k", n as f64 / 1e3),
        _ => format!("{:.2} M", n as f64 / 1e6),
    }
}

/// `23,145`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `157.9 MB` or `9.65 GB` (decimal, as `du --si` and npm print sizes).
pub fn megabytes(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.2} GB", bytes as f64 / 1e9)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// `0.41×`.
pub fn ratio(ours: f64, anchor: f64) -> String {
    if anchor > 0.0 {
        format!("{:.2}×", ours / anchor)
    } else {
        "–".to_owned()
    }
}

/// A Markdown table, padded so that it also lines up in a terminal. The first row is the header;
/// the columns listed in `right` (numbers) are right-aligned, the others left-aligned.
pub fn markdown(rows: &[Vec<String>], right: &[usize]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        out.push('|');
        for (c, &w) in widths.iter().enumerate() {
            let text = row.get(c).map_or("", String::as_str);
            if right.contains(&c) && i > 0 {
                let _ = write!(out, " {text:>w$} |");
            } else {
                let _ = write!(out, " {text:<w$} |");
            }
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for (c, &w) in widths.iter().enumerate() {
                let dashes = "-".repeat(w.saturating_sub(1));
                if right.contains(&c) {
                    let _ = write!(out, " {dashes}: |");
                } else {
                    let _ = write!(out, " :{dashes} |");
                }
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generators_summary_lines_are_summed() {
        let log = "\
jsii-codegen: constructs@10.8.1 -> constructs: 6 classes, 5 interfaces, 4 structs, 1 enums, 0 unions, 63 members; 5 files, 2179 lines
jsii-codegen: aws-cdk-lib@2.276.0 -> aws-cdk-lib: 3511 classes, 2359 interfaces, 16625 structs, 650 enums, 12322 unions, 53490 members; 677 files, 3824185 lines
jsii-codegen: generated 682 files in 33.63s
";
        let g = Generated::parse(log);
        assert_eq!(
            g,
            Generated {
                crates: 2,
                classes: 3517,
                interfaces: 2364,
                structs: 16629,
                enums: 651,
                unions: 12322,
                members: 53553,
            }
        );
        assert_eq!(g.types(), 23161);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(secs(Duration::from_millis(12_340)), "12.3 s");
        assert_eq!(secs(Duration::from_secs(245)), "4 min 05 s");
        assert_eq!(gib(2_650_228), "2.53 GiB");
        assert_eq!(gib(524_288), "512 MiB");
        assert_eq!(count(677), "677");
        assert_eq!(count(239_160), "239.2 k");
        assert_eq!(count(3_824_185), "3.82 M");
        assert_eq!(thousands(23_145), "23,145");
        assert_eq!(thousands(999), "999");
        assert_eq!(megabytes(157_900_000), "157.9 MB");
        assert_eq!(megabytes(9_648_500_000), "9.65 GB");
        assert_eq!(ratio(34.0, 83.0), "0.41×");
        assert_eq!(ratio(1.0, 0.0), "–");
    }

    #[test]
    fn tables_line_up() {
        let rows = vec![
            vec!["step".to_owned(), "wall".to_owned()],
            vec!["generate".to_owned(), "34.5 s".to_owned()],
            vec![
                "cargo check, whole library".to_owned(),
                "8 min 09 s".to_owned(),
            ],
        ];
        let text = markdown(&rows, &[1]);
        let widths: Vec<usize> = text.lines().map(|l| l.chars().count()).collect();
        assert_eq!(widths.len(), 4, "{text}");
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(
            text.lines().nth(1).is_some_and(|l| l.starts_with("| :-")),
            "{text}"
        );
    }
}
