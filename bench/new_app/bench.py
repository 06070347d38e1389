"""bin/bench new-app: a new Rust app from an empty directory to its first synth, and a one-line
edit to a synth, beside `cdk init app --language typescript` and its synth, measured in the same
run. Cold cargo for the app (its own target directory, new), warm package caches (npm's and
cargo's registry, as on a machine that has built anything before). The toolkit's generator is
built once per clone, not per app: it is built first and reported on its own row, as is a
whole fresh start (that build plus the app). Prints one table; asserts nothing.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd, env=None):
    """Runs cmd, returns seconds; exits with its output when it fails."""
    start = time.monotonic()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.monotonic() - start
    if done.returncode != 0:
        sys.exit(f"bench new-app: {' '.join(cmd)} in {cwd} failed:\n{done.stdout}\n{done.stderr}")
    return took


def edit(path, anchor, line):
    text = open(path).read()
    if anchor not in text:
        sys.exit(f"bench new-app: {path} no longer contains {anchor!r}")
    open(path, "w").write(text.replace(anchor, line + anchor, 1))


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} x {cpu}, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    opts = parser.parse_args()
    root = opts.root
    scratch = tempfile.mkdtemp(prefix="bench-new-app-")
    cdk = os.path.join(root, "node_modules/.bin/cdk")
    # The app's target directory is its own (<app>/target, new): no CARGO_TARGET_DIR.
    env = {k: v for k, v in os.environ.items() if k != "CARGO_TARGET_DIR"}
    try:
        # The toolkit's generator, from clean in a target directory of its own: what the first
        # bin/new-app of a fresh clone builds (later ones find it built).
        generator = run(["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path",
                         os.path.join(root, "jsii/codegen/Cargo.toml"), "--target-dir",
                         os.path.join(scratch, "generator-target")], root, env)
        # ... and the clone's own build of it, which bin/new-app uses (untimed: usually there).
        run(["cargo", "build", "--release", "--locked", "--quiet", "--manifest-path",
             os.path.join(root, "jsii/codegen/Cargo.toml"), "--target-dir",
             os.environ.get("CARGO_TARGET_DIR") or os.path.join(root, "target")], root, env)
        # Rust: bin/new-app (npm ci, generation, Cargo.lock; it hands its generator to the app),
        # then the first synth (builds the bindings and the app), then a one-line edit and a synth.
        rust = os.path.join(scratch, "rust-app")
        made = run(["bash", os.path.join(root, "bin/new-app"), rust], scratch, env)
        first = run(["npx", "cdk", "synth", "-q"], rust, env)
        edit(os.path.join(rust, "src/lib.rs"), "    CfnOutput::new(",
             '    CfnOutput::new(&stack, "Edited", CfnOutputProps::builder().value("x").build())?;\n')
        rust_edit = run(["npx", "cdk", "synth", "-q"], rust, env)
        # TypeScript: the CLI's own template (npm install included) and its first synth.
        ts = os.path.join(scratch, "ts-app")
        os.mkdir(ts)
        init = run([cdk, "init", "app", "--language", "typescript"], ts)
        ts_first = run(["npx", "cdk", "synth", "-q"], ts)
        stack = os.path.join(ts, "lib", "ts-app-stack.ts")
        edit(stack, "  }\n}", "    new cdk.CfnOutput(this, 'Edited', { value: 'x' });\n")
        ts_edit = run(["npx", "cdk", "synth", "-q"], ts)

        rust_total, ts_total = made + first, init + ts_first
        print("## New app benchmark (`bin/bench new-app`)\n")
        print(f"- machine: {machine()}")
        print("- the app: cold cargo (its own new target directory), warm npm and cargo registry caches; one run each")
        print()
        print("| step | Rust (bin/new-app) | TypeScript (cdk init) | Rust / TypeScript |")
        print("|---|---|---|---|")
        for name, r, t in [
            ("make the app (npm packages, generation / npm install)", made, init),
            ("first synth", first, ts_first),
            ("empty directory to first synth", rust_total, ts_total),
            ("one-line edit to synth", rust_edit, ts_edit),
            ("the toolkit's generator, from clean (once per clone)", generator, None),
            ("fresh clone: generator, then empty directory to first synth", generator + rust_total, ts_total),
        ]:
            if t is None:
                print(f"| {name} | {r:.1f} s | | |")
            else:
                print(f"| {name} | {r:.1f} s | {t:.1f} s | {r / t:.2f}x |")
        print()
        print("Goals (2 cores): first synth within 120 s and 3x TypeScript; edit to synth within 1.2x.")
    finally:
        if opts.keep:
            print(f"(kept {scratch})", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
