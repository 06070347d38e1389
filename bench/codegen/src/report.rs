//! The machine facts above the table, the generator's summary lines, and the one table
//! `bin/bench codegen` prints.

use std::time::Duration;

pub use bench_report::{gib, load_average, machine, markdown};

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
}
