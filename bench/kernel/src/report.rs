//! Turning samples into the one table `bin/bench kernel` prints, and the machine facts above it.

use crate::plan::{OPS, Scale};
use std::collections::BTreeMap;

/// Median, 99th percentile and minimum of a set of samples (nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub median: f64,
    pub p99: f64,
    pub min: f64,
}

impl Summary {
    /// `None` for no samples. The median of an even count is the mean of the middle two; the
    /// p99 is the nearest-rank percentile (the maximum when there are fewer than 100 samples).
    pub fn of(samples: &[u64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut s = samples.to_vec();
        s.sort_unstable();
        let n = s.len();
        let median = if n % 2 == 1 {
            s[n / 2] as f64
        } else {
            (s[n / 2 - 1] as f64 + s[n / 2] as f64) / 2.0
        };
        let rank = (n * 99).div_ceil(100).max(1);
        Some(Summary {
            n,
            median,
            p99: s[rank - 1] as f64,
            min: s[0] as f64,
        })
    }
}

/// The clients, in column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variant {
    RustDirect,
    RustWrapper,
    Python,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::RustDirect, Variant::RustWrapper, Variant::Python];

    pub fn name(self) -> &'static str {
        match self {
            Variant::RustDirect => "rust-direct",
            Variant::RustWrapper => "rust-wrapper",
            Variant::Python => "python",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Variant::RustDirect => "Rust direct (fd 3)",
            Variant::RustWrapper => "Rust wrapper",
            Variant::Python => "Python jsii (wrapper)",
        }
    }
}

/// All samples of one run: variant -> operation key -> nanoseconds.
pub type RunSamples = BTreeMap<Variant, BTreeMap<String, Vec<u64>>>;

/// Renders the Markdown table: one row per operation, median / p99 / min per client, the
/// Rust-direct ÷ Python ratio of medians, and the goal checked against Rust direct.
pub fn table(samples: &RunSamples) -> String {
    let header: Vec<String> = ["operation", "n"]
        .into_iter()
        .map(str::to_owned)
        .chain(Variant::ALL.iter().map(|v| v.heading().to_owned()))
        .chain([
            "direct ÷ Python".to_owned(),
            "goal (Rust direct)".to_owned(),
        ])
        .collect();
    let mut rows = vec![header];
    for op in OPS {
        let summaries: Vec<Option<Summary>> = Variant::ALL
            .iter()
            .map(|v| {
                samples
                    .get(v)
                    .and_then(|s| s.get(op.key))
                    .and_then(|s| Summary::of(s))
            })
            .collect();
        if summaries.iter().all(Option::is_none) {
            continue;
        }
        let n = summaries
            .iter()
            .flatten()
            .map(|s| s.n)
            .max()
            .unwrap_or_default();
        let mut row = vec![op.label.to_owned(), n.to_string()];
        row.extend(summaries.iter().map(|s| cell(*s, op.scale)));
        row.push(match (summaries[0], summaries[2]) {
            (Some(rust), Some(py)) if py.median > 0.0 => format!("{:.2}", rust.median / py.median),
            _ => "–".to_owned(),
        });
        row.push(match (op.goal, summaries[0]) {
            (Some((limit, words)), Some(rust)) => {
                let verdict = if rust.median <= limit as f64 {
                    "met"
                } else {
                    "MISSED"
                };
                format!("{words}: {verdict}")
            }
            (Some((_, words)), None) => words.to_owned(),
            _ => String::new(),
        });
        rows.push(row);
    }
    let numbers: Vec<usize> = (1..rows.first().map_or(0, Vec::len)).collect();
    bench_report::markdown(&rows, &numbers)
}

/// `median / p99 / min unit`.
fn cell(summary: Option<Summary>, scale: Scale) -> String {
    let Some(s) = summary else {
        return "–".to_owned();
    };
    let (div, unit, digits) = match scale {
        Scale::Micros => (1e3, "µs", 1),
        Scale::Millis => (1e6, "ms", 0),
    };
    format!(
        "{:.*} / {:.*} / {:.*} {unit}",
        digits,
        s.median / div,
        digits,
        s.p99 / div,
        digits,
        s.min / div
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_pick_median_p99_and_min() {
        let samples: Vec<u64> = (1..=200).rev().collect();
        let s = Summary::of(&samples).expect("samples");
        assert_eq!(s.n, 200);
        assert_eq!(s.median, 100.5);
        assert_eq!(s.p99, 198.0);
        assert_eq!(s.min, 1.0);
        let few = Summary::of(&[5, 1, 3]).expect("samples");
        assert_eq!((few.median, few.p99, few.min), (3.0, 5.0, 1.0));
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn the_table_has_a_row_per_measured_operation_and_checks_goals() {
        let mut samples = RunSamples::new();
        let ops = |get_ns: u64| {
            BTreeMap::from([
                ("get".to_owned(), vec![get_ns; 10]),
                ("cold_total".to_owned(), vec![250_000_000; 3]),
            ])
        };
        samples.insert(Variant::RustDirect, ops(30_000));
        samples.insert(Variant::Python, ops(60_000));
        let text = table(&samples);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        let get = lines[2];
        assert!(get.contains("30.0 / 30.0 / 30.0 µs"), "{get}");
        assert!(get.contains("0.50"), "{get}");
        assert!(get.contains("≤ 40 µs: met"), "{get}");
        assert!(lines[3].contains("250 / 250 / 250 ms"), "{}", lines[3]);
        assert!(lines[3].contains("≤ 0.3 s: met"), "{}", lines[3]);
        let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
    }
}
