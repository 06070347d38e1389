//! The steps, in order, and the report.

use crate::measure::{self, Job, Measured, RssProbe, Tree};
use crate::report::{self, Generated};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// What `main` parsed.
#[derive(Debug)]
pub struct Options {
    pub root: PathBuf,
    pub scratch: PathBuf,
    pub pacmak: Option<PathBuf>,
    pub check_all: bool,
    pub app_build: bool,
    pub rounds: usize,
}

/// jsii-pacmak 1.140.0 `--target go --code-only` on aws-cdk-lib 2.276.0, 2-core machine
/// (`bench/README.md`, "Reference figures"): wall seconds, peak RSS, Go files, lines, bytes.
const RECORDED_PACMAK: Anchor = Anchor {
    wall: Duration::from_secs(83),
    // "2.3 GB": read as GiB, the unit GNU time's KiB figures convert to.
    peak_rss_kib: Some(2_300 * 1024 * 1024 / 1000),
    tree: Tree {
        sources: 32_063,
        source_lines: 5_090_000,
        files: 32_063,
        bytes: 279_000_000,
    },
    this_run: false,
};

/// The jsii-pacmak figures the generator is compared with.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    wall: Duration,
    peak_rss_kib: Option<u64>,
    tree: Tree,
    /// Measured now (else: from the notes).
    this_run: bool,
}

/// The goals for the app's build.
const CLEAN_BUILD_GOAL: Duration = Duration::from_secs(4 * 60);
const REBUILD_GOAL: Duration = Duration::from_secs(15);

/// One row of the table.
struct Row {
    step: String,
    measured: Option<Measured>,
    output: String,
    notes: String,
}

impl Row {
    fn new(step: impl Into<String>, measured: Option<Measured>) -> Row {
        Row {
            step: step.into(),
            measured,
            output: String::new(),
            notes: String::new(),
        }
    }

    fn cells(&self) -> Vec<String> {
        let (wall, rss) = match self.measured {
            Some(m) => (
                report::secs(m.wall),
                m.peak_rss_kib.map_or("?".to_owned(), report::gib),
            ),
            None => ("–".to_owned(), "–".to_owned()),
        };
        vec![
            self.step.clone(),
            wall,
            rss,
            self.output.clone(),
            self.notes.clone(),
        ]
    }
}

struct Bench<'a> {
    opts: &'a Options,
    probe: RssProbe,
    logs: PathBuf,
}

impl Bench<'_> {
    /// Runs `job` with a fresh log `logs/<name>.log`.
    fn measure(&self, name: &str, job: &Job) -> Result<Measured, String> {
        let log = self.log(name);
        let _ = std::fs::remove_file(&log);
        job.measure(&self.probe, &log)
    }

    fn log(&self, name: &str) -> PathBuf {
        self.logs.join(format!("{name}.log"))
    }

    fn cargo(&self, target_dir: &Path) -> Job {
        Job::new("cargo", &self.opts.root).env("CARGO_TARGET_DIR", target_dir)
    }
}

pub fn run(opts: &Options) -> Result<(), String> {
    let root = &opts.root;
    if !root.join("node_modules/aws-cdk-lib/.jsii").is_file() {
        return Err("node_modules is not installed: run bin/setup".into());
    }
    let bench = Bench {
        opts,
        probe: RssProbe::detect(),
        logs: opts.scratch.join("logs"),
    };
    std::fs::create_dir_all(&bench.logs).map_err(|e| format!("{}: {e}", bench.logs.display()))?;
    let load_before = report::load_average();
    let mut rows = Vec::new();

    // The generator, built the way bin/regen builds it, from clean in a target dir of its own.
    say("building jsii-codegen (release, from clean, private target dir)");
    let generator_target = opts.scratch.join("generator-target");
    remove(&generator_target)?;
    let built = bench.measure(
        "generator-build",
        &bench.cargo(&generator_target).args([
            "build",
            "--release",
            "--locked",
            "--manifest-path",
            "jsii/codegen/Cargo.toml",
        ]),
    )?;
    let codegen = generator_target.join("release/jsii-codegen");
    let mut row = Row::new(
        "compile jsii-codegen (release, from clean, with its dependencies)",
        Some(built),
    );
    row.notes = "not part of the generation times below".into();
    rows.push(row);

    // Generation and the anchor, round by round (the machine is shared: one sample can be off by
    // half). The app's bindings go into the scratch dir, not over the committed crates; all of
    // aws-cdk-lib gets constructs as an extern crate (the committed one).
    let app_dir = opts.scratch.join("app-bindings");
    let app_config = app_dir.join("bindings.toml");
    let all_dir = opts.scratch.join("all");
    let all_config = all_dir.join("bindings.toml");
    let pacmak_out = opts.scratch.join("pacmak-go");
    let (mut app_samples, mut all_samples, mut pacmak_samples) = (vec![], vec![], vec![]);
    for round in 1..=opts.rounds {
        let of = format!("round {round}/{}", opts.rounds);
        say(&format!(
            "{of}: generating the app's bindings (app/bindings/bindings.toml)"
        ));
        remove(&app_dir)?;
        mkdir(&app_dir)?;
        std::fs::copy(root.join("app/bindings/bindings.toml"), &app_config)
            .map_err(|e| format!("copying app/bindings/bindings.toml: {e}"))?;
        app_samples.push(bench.measure("generate-app", &generate(&codegen, &app_config, root))?);

        say(&format!(
            "{of}: generating all of aws-cdk-lib (every submodule)"
        ));
        remove(&all_dir)?;
        scaffold_whole_lib(&all_dir, root)?;
        all_samples.push(bench.measure("generate-all", &generate(&codegen, &all_config, root))?);

        if let Some(pacmak) = &opts.pacmak {
            say(&format!(
                "{of}: jsii-pacmak --target go --code-only on aws-cdk-lib (the anchor)"
            ));
            remove(&pacmak_out)?;
            pacmak_samples.push(
                bench.measure(
                    "pacmak-go",
                    &Job::new(pacmak, root)
                        .args(["--target", "go", "--code-only", "--outdir"])
                        .arg(&pacmak_out)
                        .arg(root.join("node_modules/aws-cdk-lib")),
                )?,
            );
        }
    }

    let app_gen = typical(&app_samples);
    let app_summary = Generated::parse(&read(&bench.log("generate-app")));
    let app_tree = measure::count(&app_dir, "rs", &[]);
    let submodules = app_submodules(&app_config);
    let mut row = Row::new(
        format!(
            "generate the app's set ({} crates; aws-cdk-lib: {submodules})",
            app_summary.crates
        ),
        app_gen,
    );
    row.output = tree_cell(&app_tree, "rs");
    row.notes = join(&[spread(&app_samples), app_summary.describe()]);
    rows.push(row);

    let all_gen = typical(&all_samples).ok_or("no generation round ran")?;
    let all_log = read(&bench.log("generate-all"));
    let all_summary = Generated::parse(&all_log);
    let all_tree = measure::count(&all_dir.join("aws-cdk-lib"), "rs", &[]);
    let mut all_row = Row::new(
        "generate all of aws-cdk-lib (every submodule)",
        Some(all_gen),
    );
    all_row.output = tree_cell(&all_tree, "rs");
    let in_memory = all_log
        .lines()
        .find_map(|l| l.strip_prefix("jsii-codegen: generated "))
        .and_then(|l| l.split_once(" in "))
        .map(|(_, t)| format!("in-memory generation {t} in the last round"));
    all_row.notes = join(&[
        spread(&all_samples),
        all_summary.describe(),
        in_memory.unwrap_or_default(),
    ]);

    // cargo check of the whole library (the facade and every part), in a Cargo workspace of
    // its own.
    let check_row = if opts.check_all {
        say("cargo check of the whole library, every part (minutes; watch memory)");
        let check_target = opts.scratch.join("all-target");
        let generated = generated_packages(&all_dir.join("aws-cdk-lib"));
        if generated.is_empty() {
            return Err(format!(
                "no generated crate under {}",
                all_dir.join("aws-cdk-lib").display()
            ));
        }
        let cargo = |args: &[&str]| {
            Job::new("cargo", &all_dir)
                .env("CARGO_TARGET_DIR", &check_target)
                .args(args.iter().copied())
        };
        // Dependencies first, untimed: the row is about the generated crates.
        bench.measure(
            "check-all-deps",
            &cargo(&["check", "-p", "jsii-runtime", "-p", "constructs"]),
        )?;
        let mut clean = vec!["clean"];
        for name in &generated {
            clean.extend(["-p", name.as_str()]);
        }
        bench.measure("check-all-clean", &cargo(&clean))?;
        let checked = bench.measure("check-all", &cargo(&["check", "-p", "aws-cdk-lib"]))?;
        let mut row = Row::new(
            "cargo check all of aws-cdk-lib, split (dependencies already checked)",
            Some(checked),
        );
        let cache = measure::count(&check_target.join("debug/incremental"), "rs", &[]);
        row.output = format!(
            "{} crates (the facade and {} parts); incremental cache {}",
            generated.len(),
            generated.len() - 1,
            report::megabytes(cache.bytes)
        );
        row.notes = format!(
            "the project's dev profile for generated crates (incremental off); workspace and \
             lockfile of its own in {}",
            all_dir.display()
        );
        row
    } else {
        let mut row = Row::new("cargo check all of aws-cdk-lib, split", None);
        row.notes =
            "skipped: pass --check-all (facade and every part from clean: 7 min at load 6 and \
                     2.7 GiB peak on 2 cores)"
                .into();
        row
    };

    // The app: clean build, then a one-line edit of the stack.
    let mut app_rows = Vec::new();
    if opts.app_build {
        say("cargo build -p app from clean (private target dir)");
        let app_target = opts.scratch.join("app-target");
        remove(&app_target)?;
        let build = || {
            bench
                .cargo(&app_target)
                .args(["build", "--locked", "-p", "app"])
        };
        let clean = bench.measure("app-build-clean", &build())?;
        let mut row = Row::new(
            "cargo build -p app from clean (dev profile, all dependencies)",
            Some(clean),
        );
        row.notes = goal(clean.wall, CLEAN_BUILD_GOAL, "≤ 4 min");
        app_rows.push(row);

        let stack = root.join("app/src/stack.rs");
        for (name, label) in [
            (
                "comment",
                "rebuild after appending a comment line to app/src/stack.rs",
            ),
            (
                "statement",
                "rebuild after adding a statement to build_stack",
            ),
        ] {
            let original = read(&stack);
            let Some(edited) = one_line_edit(&original, name) else {
                say(&format!(
                    "no place for the {name} edit in app/src/stack.rs; skipped"
                ));
                continue;
            };
            say(label);
            let restore = Restore {
                path: stack.clone(),
                original,
            };
            write(&stack, &edited)?;
            let rebuilt = bench.measure(&format!("app-rebuild-{name}"), &build());
            drop(restore);
            let rebuilt = rebuilt?;
            let mut row = Row::new(label, Some(rebuilt));
            row.notes = goal(rebuilt.wall, REBUILD_GOAL, "≤ 15 s");
            app_rows.push(row);
            // Back to the committed source before the next edit (untimed).
            bench.measure(&format!("app-rebuild-{name}-restored"), &build())?;
        }
    }

    // The anchor: jsii-pacmak's Go target on the same assembly (measured above), or the notes.
    let anchor = match typical(&pacmak_samples) {
        Some(m) => Anchor {
            wall: m.wall,
            peak_rss_kib: m.peak_rss_kib,
            tree: measure::count(&pacmak_out, "go", &[]),
            this_run: true,
        },
        None => RECORDED_PACMAK,
    };
    let anchor_source = if anchor.this_run {
        "this run"
    } else {
        "the notes"
    };
    let mut ratios = vec![format!(
        "vs jsii-pacmak ({anchor_source}): {} wall",
        report::ratio(all_gen.wall.as_secs_f64(), anchor.wall.as_secs_f64())
    )];
    if let (Some(ours), Some(theirs)) = (all_gen.peak_rss_kib, anchor.peak_rss_kib) {
        ratios.push(format!(
            "{} peak RSS",
            report::ratio(ours as f64, theirs as f64)
        ));
    }
    ratios.push(format!(
        "{} lines",
        report::ratio(
            all_tree.source_lines as f64,
            anchor.tree.source_lines as f64
        )
    ));
    all_row.notes = format!("{}; {}", all_row.notes, ratios.join(", "));
    let mut anchor_row = Row::new(
        if anchor.this_run {
            format!(
                "anchor: jsii-pacmak {} --target go --code-only (this run)",
                version_of(&opts.pacmak, "--version")
            )
        } else {
            "anchor: jsii-pacmak 1.140.0 --target go --code-only (from the notes, not this run)"
                .to_owned()
        },
        Some(Measured {
            wall: anchor.wall,
            peak_rss_kib: anchor.peak_rss_kib,
        }),
    );
    anchor_row.output = tree_cell(&anchor.tree, "go");
    anchor_row.notes = if anchor.this_run {
        join(&[
            spread(&pacmak_samples),
            "same assembly; output size includes the embedded npm tarball".into(),
        ])
    } else {
        "recorded figures (bench/README.md), aws-cdk-lib 2.276.0 on a 2-core machine; includes the embedded tarball"
            .into()
    };
    rows.push(all_row);
    rows.push(check_row);
    rows.extend(app_rows);
    rows.push(anchor_row);

    let load_after = report::load_average();
    println!("## Code generator benchmark (`bin/bench codegen`)\n");
    println!("- machine: {}", report::machine());
    println!("- load average (1/5/15 min): before {load_before}; after {load_after}");
    println!(
        "- versions: {}; {}; node {}; jsii-codegen at {}; aws-cdk-lib {}, constructs {} from node_modules",
        version_of(&Some(PathBuf::from("rustc")), "--version"),
        version_of(&Some(PathBuf::from("cargo")), "--version"),
        version_of(&Some(PathBuf::from("node")), "--version"),
        commit(root),
        package_version(root, "aws-cdk-lib"),
        package_version(root, "constructs"),
    );
    println!(
        "- peak RSS: {}; generation runs the release binary on a warm file cache, into empty \
         directories under {}",
        bench.probe.describe(),
        opts.scratch.display()
    );
    println!("- logs of every step: {}\n", bench.logs.display());
    let mut table = vec![
        ["step", "wall", "peak RSS", "output", "notes"]
            .map(str::to_owned)
            .to_vec(),
    ];
    table.extend(rows.iter().map(Row::cells));
    print!("{}", report::markdown(&table, &[1, 2]));
    Ok(())
}

/// The sample to show for a step run once per round: the median wall time (the lower middle
/// one for an even count), with the highest peak RSS of all rounds.
fn typical(samples: &[Measured]) -> Option<Measured> {
    let mut walls: Vec<Duration> = samples.iter().map(|m| m.wall).collect();
    walls.sort();
    let wall = *walls.get(walls.len().saturating_sub(1) / 2)?;
    let peak_rss_kib = samples.iter().filter_map(|m| m.peak_rss_kib).max();
    Some(Measured { wall, peak_rss_kib })
}

/// `median of 3 rounds (33.6 s–50.0 s)`, or nothing for a single round.
fn spread(samples: &[Measured]) -> String {
    let min = samples.iter().map(|m| m.wall).min();
    let max = samples.iter().map(|m| m.wall).max();
    match (min, max) {
        (Some(min), Some(max)) if samples.len() > 1 => format!(
            "median of {} rounds ({}–{})",
            samples.len(),
            report::secs(min),
            report::secs(max)
        ),
        _ => String::new(),
    }
}

/// Notes joined with `; `, empty ones left out.
fn join(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("; ")
}

fn say(msg: &str) {
    eprintln!("bench: {msg}");
}

/// `jsii-codegen <config> --node-modules <root>/node_modules`.
fn generate(codegen: &Path, config: &Path, root: &Path) -> Job {
    Job::new(codegen, root)
        .arg(config)
        .arg("--node-modules")
        .arg(root.join("node_modules"))
}

/// `674 .rs files, 3.82 M lines, 152.0 MB`.
fn tree_cell(t: &Tree, ext: &str) -> String {
    format!(
        "{} .{ext} files, {} lines, {}",
        report::thousands(t.sources),
        report::count(t.source_lines),
        report::megabytes(t.bytes)
    )
}

fn goal(wall: Duration, limit: Duration, words: &str) -> String {
    let verdict = if wall <= limit { "met" } else { "MISSED" };
    format!("goal {words}: {verdict}")
}

/// The source with one line changed: a comment appended, or a statement added at the top of the
/// first `pub fn` (the stack's builder). Unique per run, so incremental compilation sees a change.
fn one_line_edit(source: &str, kind: &str) -> Option<String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    match kind {
        "comment" => {
            let mut s = source.to_owned();
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(&format!("// bin/bench codegen: one-line edit {stamp}\n"));
            Some(s)
        }
        _ => {
            let mut lines: Vec<String> = source.lines().map(str::to_owned).collect();
            let at = lines
                .iter()
                .position(|l| l.starts_with("pub fn ") && l.trim_end().ends_with('{'))?;
            lines.insert(at + 1, format!("    let _bench_edit = {stamp}_u128;"));
            let mut s = lines.join("\n");
            s.push('\n');
            Some(s)
        }
    }
}

/// Puts a file back as it was, even if the step in between fails.
struct Restore {
    path: PathBuf,
    original: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        if let Err(e) = std::fs::write(&self.path, &self.original) {
            eprintln!(
                "bench: could not restore {}: {e}; restore it with git checkout",
                self.path.display()
            );
        }
    }
}

/// Writes into `dir` what `bin/check-whole-lib` generates and checks all of aws-cdk-lib with
/// (`--scaffold`): the generator's config (every submodule, split into parts, `constructs` as
/// the committed extern crate) and a Cargo workspace of its own (the project's lockfile, its dev
/// profile for generated crates), so the benchmark measures the very crates `bin/test` checks.
fn scaffold_whole_lib(dir: &Path, root: &Path) -> Result<(), String> {
    let script = root.join("bin/check-whole-lib");
    let out = Command::new(&script)
        .arg("--scaffold")
        .arg(dir)
        .current_dir(root)
        .output()
        .map_err(|e| format!("running {}: {e}", script.display()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} --scaffold {} failed ({}): {}",
            script.display(),
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The packages generated under `dir`: its own crate, then each part in `parts/` (sorted).
fn generated_packages(dir: &Path) -> Vec<String> {
    let mut parts: Vec<String> = std::fs::read_dir(dir.join("parts"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| package_name(&read(&e.path().join("Cargo.toml"))))
        .collect();
    parts.sort();
    package_name(&read(&dir.join("Cargo.toml")))
        .into_iter()
        .chain(parts)
        .collect()
}

/// The `name` of a manifest's `[package]` table (generated manifests: one `name = "..."` line).
fn package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(v) = line.strip_prefix("name") {
            let v = v.trim_start().strip_prefix('=')?.trim();
            return Some(v.strip_prefix('"')?.strip_suffix('"')?.to_owned());
        }
    }
    None
}

/// The aws-cdk-lib submodules the app's config names, as written there.
fn app_submodules(config: &Path) -> String {
    let text = read(config);
    let Some(start) = text.find("submodules = [") else {
        return "all submodules".into();
    };
    let list = &text[start..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    let names: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split('"').nth(1))
        .map(|n| if n.is_empty() { "root" } else { n })
        .collect();
    format!("{} submodules", names.len())
}

fn version_of(program: &Option<PathBuf>, flag: &str) -> String {
    let Some(program) = program else {
        return "?".into();
    };
    Command::new(program)
        .arg(flag)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| format!("? ({} {flag} failed)", program.display()))
}

/// `abc1234` or `abc1234 + local changes` (to the generator or the runtime).
fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let head = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "?".into());
    match git(&[
        "status",
        "--porcelain",
        "--",
        "jsii/codegen",
        "jsii/runtime",
    ]) {
        Some(s) if !s.is_empty() => format!("{head} + local changes"),
        _ => head,
    }
}

fn package_version(root: &Path, name: &str) -> String {
    let text = read(&root.join("node_modules").join(name).join("package.json"));
    serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn mkdir(path: &Path) -> Result<(), String> {
    std::fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn remove(path: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("removing {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STACK: &str = "//! The stack.\n\nuse x;\n\n/// Adds it.\npub fn build_stack(app: &App) -> Result<(), E> {\n    let a = 1;\n}\n";

    #[test]
    fn one_line_edits_change_exactly_one_line() {
        let comment = one_line_edit(STACK, "comment").expect("comment");
        assert!(comment.starts_with(STACK));
        assert_eq!(comment.lines().count(), STACK.lines().count() + 1);
        assert!(
            comment
                .lines()
                .last()
                .is_some_and(|l| l.starts_with("// bin/bench codegen"))
        );

        let statement = one_line_edit(STACK, "statement").expect("statement");
        let lines: Vec<&str> = statement.lines().collect();
        assert_eq!(lines.len(), STACK.lines().count() + 1);
        assert!(lines[5].starts_with("pub fn build_stack"));
        assert!(
            lines[6].starts_with("    let _bench_edit = "),
            "{statement}"
        );
        assert_eq!(one_line_edit("no functions here\n", "statement"), None);
    }

    #[test]
    fn rounds_show_the_median_wall_and_the_highest_peak() {
        let m = |s: u64, kib: u64| Measured {
            wall: Duration::from_secs(s),
            peak_rss_kib: Some(kib),
        };
        let samples = [m(50, 1), m(34, 3), m(40, 2)];
        let t = typical(&samples).expect("samples");
        assert_eq!((t.wall, t.peak_rss_kib), (Duration::from_secs(40), Some(3)));
        assert_eq!(spread(&samples), "median of 3 rounds (34.0 s–50.0 s)");
        assert_eq!(spread(&samples[..1]), "");
        let even = typical(&[m(2, 1), m(1, 1)]).expect("samples");
        assert_eq!(even.wall, Duration::from_secs(1));
        assert!(typical(&[]).is_none());
        assert_eq!(join(&["a".into(), String::new(), "b".into()]), "a; b");
    }

    #[test]
    fn package_names_come_from_the_package_table() {
        let toml = "# generated\n[package]\nname = \"aws-cdk-lib-aws-sqs\"\nversion = \"1\"\n\n\
                    [dependencies]\nname = { path = \"x\" }\n";
        assert_eq!(package_name(toml).as_deref(), Some("aws-cdk-lib-aws-sqs"));
        assert_eq!(package_name("[dependencies]\nname = \"x\"\n"), None);
        assert_eq!(package_name(""), None);

        let dir = std::env::temp_dir().join(format!("bench-codegen-pkgs-{}", std::process::id()));
        for (sub, name) in [("", "lib"), ("parts/b", "lib-b"), ("parts/a", "lib-a")] {
            std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
            std::fs::write(
                dir.join(sub).join("Cargo.toml"),
                format!("[package]\nname = \"{name}\"\n"),
            )
            .expect("write");
        }
        let names = generated_packages(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(names, ["lib", "lib-a", "lib-b"]);
    }

    #[test]
    fn the_app_configs_submodules_are_counted() {
        let dir = std::env::temp_dir().join(format!("bench-codegen-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let config = dir.join("bindings.toml");
        std::fs::write(
            &config,
            "[[crate]]\npackage = \"aws-cdk-lib\"\nsubmodules = [\n    \"\",   # root\n    \"aws_iam\",\n]\n",
        )
        .expect("write");
        let text = app_submodules(&config);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(text, "2 submodules");
    }
}
