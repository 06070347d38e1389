"""Timing harness of `bin/bench synth`: the Rust CDK app against the same stack in JavaScript and Python.

bin/bench runs it with .venv-bench/bin/python (the interpreter that also has the PyPI aws-cdk-lib
the Python app uses). Standard library only.

What it runs, each variant in its own process tree, from the app's own directory:
- `cdk synth -q` end to end through the project's pinned CLI (node_modules/.bin/cdk), with
  validation on (default) and off (`--no-validation`): Rust (project root, whose cdk.json's app,
  bin/app, checks the build and then runs the app), JavaScript (bench/synth/js), Python (bench/synth/python);
- each app alone, with exactly the environment the CLI gives it (captured once per app directory
  and mode through the real CLI), CDK_OUTDIR pointed at a private directory, and
  CDK_VALIDATION=false for the off variant: target/debug/cdk-app (under CARGO_TARGET_DIR when set),
  `node app.js`, `python app.py`;
- the Rust app's build check alone (`jsii-codegen build app/bindings/bindings.toml`, the check
  bin/app's `jsii-codegen run` makes before it runs the app, with nothing changed), and
  `cdk --version` (CLI start-up) as a reference.

Every variant runs once untimed (warm-up), then `--runs` timed rounds; each round runs every
variant once, starting at a different variant each round, so the machine's noise spreads over
all of them. Wall time is from spawn to the exit of the direct child. CPU time (user+sys) and
peak RSS come from wait4: the harness is a child subreaper, so processes orphaned inside the
tree (a kernel outliving its host) are reaped, and counted, too. Peak RSS is the largest single
process of the tree.

Nothing here asserts a timing.
"""

import argparse
import ctypes
import difflib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

LANGS = ("rust", "js", "python")
LANG_TITLE = {"rust": "Rust", "js": "JavaScript", "python": "Python"}
# Rust ÷ other, per validation mode: issue 12 for JavaScript (0.60 on, 0.90 off), issue 5 for
# Python.
GOALS = {("js", "on"): 0.60, ("js", "off"): 0.90, ("python", "on"): 0.65, ("python", "off"): 0.65}
ORPHAN_GRACE_S = 30.0
# The CLI's own network chatter (npm version check, telemetry, notices) is the same for all three
# apps and only adds noise on a machine that reaches registries only.
QUIET_CLI_ENV = {"CDK_DISABLE_VERSION_CHECK": "1", "CDK_DISABLE_CLI_TELEMETRY": "1"}
QUIET_CLI_ARGS = ["--no-notices"]


def say(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def die(msg):
    print(f"bench: error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


# --- running one process tree ---------------------------------------------------------------


def become_subreaper():
    """Orphans of our children get re-parented to us, so wait4 sees (and counts) them."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except OSError:
        return False


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    status: int
    stragglers: int = 0


def run_tree(argv, cwd, env, log_path):
    """Runs argv to completion; returns its Sample. Output goes to log_path."""
    with open(log_path, "wb") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    rss = ru.ru_maxrss
    stragglers = 0
    deadline = time.monotonic() + ORPHAN_GRACE_S
    while True:  # orphans re-parented to us (the subreaper)
        try:
            pid, _, oru = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if time.monotonic() > deadline:
                die(f"processes left behind by {argv[0]} still run after {ORPHAN_GRACE_S:.0f} s")
            time.sleep(0.01)
            continue
        stragglers += 1
        cpu += oru.ru_utime + oru.ru_stime
        rss = max(rss, oru.ru_maxrss)
    return Sample(wall, cpu, rss / 1024.0, proc.returncode, stragglers)


# --- the variants -----------------------------------------------------------------------------


@dataclass
class Variant:
    key: str  # e.g. "cli/on/rust"
    argv: list
    cwd: Path
    env: dict
    outdir: Path | None = None
    samples: list = field(default_factory=list)


def cli_env_of(cdk, cwd, outdir, validation, base_env, python):
    """The environment the CLI gives the app in cwd: asks the real CLI, with a dumping app."""
    dump = outdir.parent / f"env-{cwd.name}-{validation}.json"
    code = "import json,os,sys; json.dump(dict(os.environ), open(sys.argv[1], 'w')); sys.exit(3)"
    app = f"{python} -c \"{code}\" {dump}"
    argv = [cdk, "synth", "-q", "--output", str(outdir), "--app", app, *QUIET_CLI_ARGS]
    if validation == "off":
        argv.append("--no-validation")
    subprocess.run(argv, cwd=cwd, env=base_env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    if not dump.is_file():
        die(f"could not capture the CLI's environment in {cwd} (ran: {' '.join(argv)})")
    env = json.loads(dump.read_text())
    dump.unlink()
    added = {k: v for k, v in env.items() if base_env.get(k) != v}
    if "CDK_CONTEXT_JSON" not in added:
        die(f"the CLI passed no CDK_CONTEXT_JSON in {cwd}")
    return added


def point_at(cli_env, outdir):
    """The CLI's app environment with its paths moved to outdir."""
    env = dict(cli_env)
    env["CDK_OUTDIR"] = str(outdir)
    for k in ("CDK_ERROR_FILE", "CDK_PERF_COUNTERS_FILE"):
        if k in env:
            env[k] = str(outdir / Path(env[k]).name)
    return env


def target_dir(root):
    """Cargo's target directory, where bin/cdk-build builds: CARGO_TARGET_DIR (relative to the
    root) or target/."""
    return root / (os.environ.get("CARGO_TARGET_DIR") or "target")


def app_binary(root):
    """The Rust app bin/cdk-build builds."""
    return target_dir(root) / "debug/cdk-app"


def make_variants(root, work, python):
    cdk = str(root / "node_modules/.bin/cdk")
    base = dict(os.environ, **QUIET_CLI_ENV)
    dirs = {"rust": root, "js": root / "bench/synth/js", "python": root / "bench/synth/python"}
    app_argv = {
        "rust": [str(app_binary(root))],
        "js": ["node", "app.js"],
        "python": [python, "app.py"],
    }
    variants = []
    contexts = {}
    for validation in ("on", "off"):
        for lang in LANGS:
            out = work / f"cli-{validation}-{lang}"
            argv = [cdk, "synth", "-q", "--output", str(out), *QUIET_CLI_ARGS]
            if validation == "off":
                argv.append("--no-validation")
            variants.append(Variant(f"cli/{validation}/{lang}", argv, dirs[lang], base, out))
    say("capturing the environment the CLI gives each app (CDK_CONTEXT_JSON and the rest)")
    for validation in ("on", "off"):
        for lang in LANGS:
            cli_env = cli_env_of(cdk, dirs[lang], work / f"dump-{lang}", validation, base, python)
            contexts[(lang, validation)] = cli_env["CDK_CONTEXT_JSON"]
            out = work / f"app-{validation}-{lang}"
            env = dict(base, **point_at(cli_env, out))
            variants.append(Variant(f"app/{validation}/{lang}", app_argv[lang], dirs[lang], env, out))
    target = target_dir(root)
    check = [str(target / "release/jsii-codegen"), "build", "app/bindings/bindings.toml"]
    variants.append(Variant("build/-/rust", check, root, base))
    variants.append(Variant("clistart/-/-", [cdk, "--version"], root, base))
    return variants, contexts


# --- checks -----------------------------------------------------------------------------------


def check_contexts(root):
    """The comparison apps' cdk.json must carry the project's context (feature flags) verbatim."""
    want = json.loads((root / "cdk.json").read_text())["context"]
    for sub in ("js", "python"):
        got = json.loads((root / "bench/synth" / sub / "cdk.json").read_text()).get("context")
        if got != want:
            die(f"bench/synth/{sub}/cdk.json: its context differs from cdk.json's; copy it over")


ASSET_RE = re.compile(r"\b[0-9a-f]{64}\b")


def normalised(template):
    """The template without CDKMetadata (analytics differ per language) and with asset hashes
    replaced by a placeholder; also returns the hashes found."""
    t = json.loads(json.dumps(template))
    t.get("Resources", {}).pop("CDKMetadata", None)
    conditions = t.get("Conditions", {})
    conditions.pop("CDKMetadataAvailable", None)
    if not conditions:
        t.pop("Conditions", None)
    hashes = set()

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            hashes.update(ASSET_RE.findall(v))
            return ASSET_RE.sub("<asset-hash>", v)
        return v

    return walk(t), hashes


def compare_templates(variants, stack="ConnectLookupStack"):
    """Compares the templates the CLI variants wrote (after the warm-up). Returns report lines."""
    lines = []
    for validation in ("on", "off"):
        got = {}
        for v in variants:
            kind, val, lang = v.key.split("/")
            if kind == "cli" and val == validation:
                path = v.outdir / f"{stack}.template.json"
                got[lang] = normalised(json.loads(path.read_text()))
        ref, ref_hashes = got["rust"]
        for lang in ("js", "python"):
            t, hashes = got[lang]
            name = f"{LANG_TITLE[lang]} vs Rust, validation {validation}"
            if t == ref:
                same = "same asset hash" if hashes == ref_hashes else (
                    f"asset hashes differ: {sorted(hashes)} vs {sorted(ref_hashes)}")
                lines.append(f"{name}: identical after normalisation ({same})")
            else:
                a = json.dumps(ref, indent=1, sort_keys=True).splitlines()
                b = json.dumps(t, indent=1, sort_keys=True).splitlines()
                diff = list(difflib.unified_diff(a, b, "rust", lang, lineterm="", n=2))
                lines.append(f"{name}: DIFFERENT ({len(diff)} diff lines; first ones below)")
                lines.extend("    " + d for d in diff[:40])
    return lines


# --- report -----------------------------------------------------------------------------------


def machine():
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((l.split(":", 1)[1].strip() for l in info.splitlines()
                  if l.startswith("model name")), "unknown CPU")
    mem = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} × {model}{mem}"


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def versions(root, python):
    def out(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, cwd=root,
                                  check=False).stdout.strip()
        except OSError:
            return "?"

    def npm(name):
        return json.loads((root / "node_modules" / name / "package.json").read_text())["version"]

    cli = out([str(root / "node_modules/.bin/cdk"), "--version"]).split()[0]
    return (f"CLI aws-cdk {cli}; aws-cdk-lib {npm('aws-cdk-lib')} (npm: Rust, JS) / "
            f"{metadata.version('aws-cdk-lib')} (PyPI: Python, newest there); constructs "
            f"{npm('constructs')} / {metadata.version('constructs')}; @jsii/runtime "
            f"{npm('@jsii/runtime')} (Rust) / jsii {metadata.version('jsii')} (Python); "
            f"node {out(['node', '--version'])}; Python {sys.version.split()[0]}; "
            f"{out(['rustc', '--version']).split(' (')[0]}, app built in the dev profile "
            f"(target/debug/cdk-app, which cdk.json runs through bin/app)")


def summary(samples):
    walls = [s.wall for s in samples]
    return {
        "med": statistics.median(walls),
        "min": min(walls),
        "cpu": statistics.median(s.cpu for s in samples),
        "rss": statistics.median(s.rss_mb for s in samples),
    }


def table(variants, runs, load_before, load_after, load_during, header_versions, mach):
    s = {v.key: summary(v.samples) for v in variants}
    rows = [
        ("`cdk synth -q`, end to end", "cli", "on"),
        ("`cdk synth -q --no-validation`", "cli", "off"),
        ("app alone (CLI's env)", "app", "on"),
        ("app alone, CDK_VALIDATION=false", "app", "off"),
    ]

    def cell(x):
        return f"{x['med']:5.2f} / {x['min']:5.2f}"

    def detail(x):
        return f"cpu {x['cpu']:5.2f}, {x['rss']:4.0f} MB"

    def ratio(r, o, goal):
        q = r / o
        return f"{q:4.2f} (≤ {goal:.2f}) {'met' if q <= goal else 'MISSED'}"

    lines = [
        f"synth benchmark: {runs} interleaved runs of each variant after one warm-up each",
        f"machine: {mach}",
        f"load average (1/5/15 min): before {load_before}; after {load_after}; "
        f"mean 1-min during the runs {load_during:.2f}",
        f"versions: {header_versions}",
        "",
        "wall seconds median / min; below: median CPU seconds (user+sys, whole process tree) and "
        "median peak RSS (largest process)",
        "",
        "| what | Rust | JavaScript | Python | Rust÷JS | Rust÷Py |",
        "|---|---|---|---|---|---|",
    ]
    for title, kind, val in rows:
        r, j, p = (s[f"{kind}/{val}/{lang}"] for lang in LANGS)
        lines.append(f"| {title} | {cell(r)} | {cell(j)} | {cell(p)} | "
                     f"{ratio(r['med'], j['med'], GOALS[('js', val)])} | "
                     f"{ratio(r['med'], p['med'], GOALS[('python', val)])} |")
        lines.append(f"|   cpu, rss | {detail(r)} | {detail(j)} | {detail(p)} | "
                     f"cpu {r['cpu'] / j['cpu']:4.2f} | cpu {r['cpu'] / p['cpu']:4.2f} |")
    b = s["build/-/rust"]
    lines.append(f"| build check alone (`jsii-codegen build` as bin/app runs it, no change) | {cell(b)} | — | — "
                 "| | |")
    lines.append(f"|   cpu, rss | {detail(b)} | | | | |")
    c = s["clistart/-/-"]
    lines.append(f"| CLI start-up (`cdk --version`, all apps) | {cell(c)} | {cell(c)} | {cell(c)} "
                 "| | |")
    lines.append("")
    for val in ("on", "off"):
        parts = s["clistart/-/-"]["med"], s["build/-/rust"]["med"], s[f"app/{val}/rust"]["med"]
        lines.append(
            f"Rust, validation {val}: CLI start-up {parts[0]:.2f} + build check {parts[1]:.2f} + "
            f"app {parts[2]:.2f} = {sum(parts):.2f} s vs {s[f'cli/{val}/rust']['med']:.2f} s "
            f"measured end to end (medians); JS: CLI start-up + "
            f"app = {parts[0] + s[f'app/{val}/js']['med']:.2f} vs {s[f'cli/{val}/js']['med']:.2f}")
    if runs < 5:
        lines.append(f"(only {runs} runs per variant: indicative; the issue asks for at least 5)")
    stragglers = sum(x.stragglers for v in variants for x in v.samples)
    if stragglers:
        lines.append(f"({stragglers} orphaned processes were reaped and counted in CPU time)")
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, required=True, help="the project root")
    ap.add_argument("--runs", type=int, default=7, help="timed runs per variant (default 7)")
    ap.add_argument("--keep", action="store_true", help="keep the output directories and logs")
    ap.add_argument("--only", metavar="REGEX",
                    help="run only the variants whose key matches, e.g. 'cli/on' or '/rust$' "
                         "(keys: cli|app/on|off/rust|js|python, build/-/rust, clistart/-/-); "
                         "prints the samples instead of the table")
    ap.add_argument("--samples", type=Path, metavar="FILE",
                    help="also write every sample (wall, cpu, rss per run) as JSON to FILE")
    args = ap.parse_args()
    if args.runs < 1:
        die("--runs must be at least 1")
    root = args.root.resolve()
    python = str(Path(sys.executable).absolute())
    check_contexts(root)
    if not app_binary(root).is_file():
        die(f"{app_binary(root)} is missing: run bin/cdk-build")
    if not become_subreaper():
        say("warning: could not become a child subreaper; orphaned processes go uncounted")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="bench-synth."))
    try:
        mach = machine()
        load_before = load()
        variants, contexts = make_variants(root, work, python)
        if len(set(contexts.values())) != 1:
            die("the CLI passed different CDK_CONTEXT_JSON to the three apps")
        if args.only:
            variants = [v for v in variants if re.search(args.only, v.key)]
            if not variants:
                die(f"no variant matches {args.only!r}")
        header_versions = versions(root, python)
        logs = work / "logs"
        logs.mkdir()

        say(f"warm-up: each of the {len(variants)} variants once, untimed")
        for v in variants:
            sample = run_tree(v.argv, v.cwd, v.env, logs / f"{v.key.replace('/', '-')}.warmup")
            if sample.status != 0:
                log = (logs / f"{v.key.replace('/', '-')}.warmup").read_text(errors="replace")
                die(f"{v.key} failed (exit {sample.status}): {' '.join(v.argv)} in {v.cwd}\n"
                    + log[-3000:])
        template_report = [] if args.only else compare_templates(variants)
        for line in template_report:
            say("templates: " + line)

        during = []
        n = len(variants)
        for r in range(args.runs):
            during.append(os.getloadavg()[0])
            say(f"round {r + 1}/{args.runs} (load {load()})")
            for i in range(n):
                v = variants[(r * 5 + i) % n]  # a different start each round
                log = logs / f"{v.key.replace('/', '-')}.{r}"
                sample = run_tree(v.argv, v.cwd, v.env, log)
                if sample.status != 0:
                    die(f"{v.key} failed (exit {sample.status}) in round {r + 1}; log: {log}\n"
                        + log.read_text(errors="replace")[-3000:])
                v.samples.append(sample)
        during.append(os.getloadavg()[0])
        load_after = load()
        if args.samples:
            args.samples.write_text(json.dumps(
                {v.key: [s.__dict__ for s in v.samples] for v in variants}, indent=1) + "\n")
        if args.only:
            print(f"load average before {load_before}; after {load_after}")
            for v in variants:
                x = summary(v.samples)
                walls = " ".join(f"{s.wall:.2f}" for s in v.samples)
                cpus = " ".join(f"{s.cpu:.2f}" for s in v.samples)
                print(f"{v.key:16} wall median {x['med']:.2f} min {x['min']:.2f} cpu median "
                      f"{x['cpu']:.2f} rss {x['rss']:.0f} MB | wall {walls} | cpu {cpus}")
            return
        print(table(variants, args.runs, load_before, load_after, statistics.mean(during),
                    header_versions, mach))
        print()
        print("templates (normalised: CDKMetadata and asset hashes stripped):")
        for line in template_report:
            print("  " + line)
        if args.keep:
            say(f"kept {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
