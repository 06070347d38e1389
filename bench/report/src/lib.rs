//! What the Rust benchmarks (`bin/bench kernel`, `bin/bench codegen`) print around their
//! numbers: the machine, the load average, and Markdown tables padded to line up in a terminal
//! too. It measures nothing and decides nothing about the figures: each benchmark keeps its own
//! samples and summaries (the kernel benchmark's medians are of many samples, the generator's
//! show one whole round). The handler's benchmark shares nothing with the rest and has its own.

use std::fmt::Write as _;

/// `AMD EPYC 7R13 Processor, 2 logical cores, 23.4 GiB RAM`: the CPU model, the logical cores
/// this process may use, and the memory, from `/proc` (Linux), else what std knows.
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

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` prints them (`unknown` elsewhere).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The 1-minute load average, or 0 where it is unknown.
pub fn one_minute_load() -> f64 {
    load_average()
        .split_whitespace()
        .next()
        .and_then(|l| l.parse().ok())
        .unwrap_or(0.0)
}

/// `2.47 GiB` or `512 MiB`, from KiB.
pub fn gib(kib: u64) -> String {
    let mib = kib as f64 / 1024.0;
    if mib >= 1024.0 {
        format!("{:.2} GiB", mib / 1024.0)
    } else {
        format!("{mib:.0} MiB")
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
    fn tables_line_up_and_align_numbers_right() {
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
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[1].starts_with("| :-") && lines[1].ends_with("-: |"),
            "{text}"
        );
        assert!(lines[2].ends_with("     34.5 s |"), "{text}");
        assert!(lines[0].starts_with("| step "), "{text}");
    }

    #[test]
    fn sizes_read_as_gib_or_mib() {
        assert_eq!(gib(2_650_228), "2.53 GiB");
        assert_eq!(gib(524_288), "512 MiB");
    }

    #[test]
    fn the_machine_and_load_are_described() {
        assert!(machine().contains("logical cores"), "{}", machine());
        assert!(!load_average().is_empty());
        assert!(one_minute_load() >= 0.0);
    }
}
