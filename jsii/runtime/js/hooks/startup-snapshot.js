// Hook `startupSnapshot` of jsii-runtime's preload (`kernel-entry.js` installs it): the
// kernel's packages from a startup snapshot of node's heap, which `kernel-snapshot.js` builds.
// The versions it knows: `startupSnapshot` in hooks.json. How it works: below.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');

// The kernel's packages from a startup snapshot. Loading aws-cdk-lib's modules (parsing,
// compiling and running their top levels) is most of a small app's synth without
// validation. The client starts node from a V8 startup snapshot in which they are already
// evaluated (`--snapshot-blob`, built by `kernel-snapshot.js`, which says how and what it
// guards against) when one exists for this node, these flags and this kernel, and passes
// its path (JSII_RS_SNAPSHOT) either way. Here:
// - with a snapshot, the evaluated modules join node's module cache under the snapshot's
//   own directory, and a require of a package file in the kernel's work directory is
//   served from it when the package there is the very one the snapshot holds (the same
//   directory in the kernel's package cache, and so are the packages it reached);
// - at exit, when the kernel loaded enough package modules the snapshot does not hold, a
//   plan is written and the builder started in the background (detached) for next time.
// JSII_RS_SNAPSHOT_BUILDER names the builder script; the client sets both.

// The directory (under JSII_RS_COMPILE_CACHE) the client keeps the snapshots in.
const SNAPSHOT_DIR = 'snapshots';
// The fewest package modules a kernel must load for a snapshot to be worth building.
const SNAPSHOT_MIN_MODULES = 100;
// How long a failed build (`<blob>.failed`) stops the next one from being planned.
const SNAPSHOT_RETRY_MS = 24 * 3600 * 1000;
// Packages left out of snapshots, wherever they are installed: their code must go through
// the hooks above (the validator's glue), and WebAssembly cannot be in a snapshot anyway. The
// modules that use them require them lazily, so a snapshot holds those modules without them.
const SNAPSHOT_EXCLUDED = ['@aws/cloudformation-validate'];
// A package file in a kernel's work directory: the directory up to node_modules/, the
// package's name, the path inside it.
const KERNEL_PACKAGE =
  /^(.*[\\/]jsii-kernel-[^\\/]+[\\/]node_modules[\\/])((?:@[^\\/]+[\\/])?[^\\/]+)(?:[\\/](.*))?$/;

// `argv` without `--snapshot-blob <file>` (or `--snapshot-blob=<file>`).
function withoutSnapshot(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--snapshot-blob') {
      i++;
    } else if (!argv[i].startsWith('--snapshot-blob=')) {
      out.push(argv[i]);
    }
  }
  return out;
}

// The flags a snapshot for this kernel is built with: the kernel's own, without the preload
// and the snapshot it may have started from.
function snapshotFlags(argv) {
  const out = [];
  const rest = withoutSnapshot(argv);
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--require' || rest[i] === '-r') {
      i++;
    } else if (!rest[i].startsWith('--require=')) {
      out.push(rest[i]);
    }
  }
  return out;
}

// A module's name inside its package ("<package>/<path>", with "/"), or undefined for files
// that are not in a package under `nodeModules` (a directory ending in a separator).
function packageModule(file, nodeModules) {
  if (!file.startsWith(nodeModules)) {
    return undefined;
  }
  const relative = file.slice(nodeModules.length).split(path.sep).join('/');
  const parts = relative.split('/');
  return parts.length > (parts[0].startsWith('@') ? 2 : 1) ? relative : undefined;
}

// The package of a module named by `packageModule`.
function packageName(m) {
  return m
    .split('/')
    .slice(0, m.startsWith('@') ? 2 : 1)
    .join('/');
}

// The plan for the next snapshot (see kernel-snapshot.js), or undefined when the snapshot this
// kernel started from (`snap`) already holds what it loaded, or it loaded too little.
// `packages` maps each package the kernel loaded to its real directory, `cache` is node's
// module cache (file names in load order), `served` the packages taken from the snapshot.
// A request the snapshot's modules had to resolve (`snap.misses`) is new too: the next
// snapshot resolves it ahead.
function planSnapshot({ snap, packages, cache, served, blob, execArgv, compileCache }) {
  const modules = [];
  const known = new Set();
  const excluded = (m) =>
    SNAPSHOT_EXCLUDED.some((p) => m.startsWith(`${p}/`) || m.includes(`/node_modules/${p}/`));
  // Adds module `m` unless it is there or left out; whether it did.
  const add = (m) => {
    if (m === undefined || known.has(m) || excluded(m)) {
      return false;
    }
    known.add(m);
    modules.push(m);
    return true;
  };
  const planned = { ...packages };
  const requests = [];
  let fresh = 0;
  if (snap) {
    const nodeModules = path.join(snap.root, 'node_modules') + path.sep;
    for (const [name, { real }] of Object.entries(snap.packages)) {
      if (planned[name] === undefined) {
        planned[name] = real;
      }
    }
    // The snapshot's modules of the packages this kernel had too (or did not load).
    for (const file of snap.registry.keys()) {
      const m = packageModule(file, nodeModules);
      const name = m && packageName(m);
      if (m !== undefined && planned[name] === snap.packages[name].real) {
        add(m);
      }
    }
    for (const file of cache) {
      if (!snap.registry.has(file) && add(packageModule(file, nodeModules))) {
        fresh++;
      }
    }
    // The requests the snapshot resolves ahead, and those this kernel had to resolve: for the
    // planned packages the snapshot has too. A request asked before counts once, resolvable
    // at build time or not.
    const asked = new Set();
    const keep = ([m, request], isMiss) => {
      const name = packageName(m);
      const held = snap.packages[name];
      const key = JSON.stringify([m, request]);
      if (asked.has(key) || held === undefined || planned[name] !== held.real) {
        return;
      }
      asked.add(key);
      requests.push([m, request]);
      if (isMiss) {
        fresh++;
      }
    };
    (snap.requests || []).forEach((r) => keep(r, false));
    (snap.misses || []).forEach((r) => keep(r, true));
  }
  for (const file of cache) {
    const match = KERNEL_PACKAGE.exec(file);
    if (match && match[3] !== undefined && packages[match[2]] !== undefined) {
      if (add(`${match[2]}/${match[3].split(path.sep).join('/')}`)) {
        fresh++;
      }
    }
  }
  const unserved = Object.keys(packages).some((name) => !served.has(name));
  if (snap ? fresh === 0 && !unserved : modules.length < SNAPSHOT_MIN_MODULES) {
    return undefined;
  }
  return { version: 1, blob, execArgv, compileCache, packages: planned, modules, requests };
}

// Whether a build failed (the marker `file`) less than SNAPSHOT_RETRY_MS ago.
function failedLately(file) {
  try {
    return Date.now() - fs.statSync(file).mtimeMs < SNAPSHOT_RETRY_MS;
  } catch {
    return false;
  }
}

// Serves the kernel's packages from the snapshot node started from, if any, and plans the next
// one at exit (see above).
function installSnapshot(compileCache) {
  const blob = process.env.JSII_RS_SNAPSHOT;
  const builder = process.env.JSII_RS_SNAPSHOT_BUILDER;
  const started = globalThis[Symbol.for('jsii-rs.snapshot')];
  // A snapshot is only served to the kernel it was planned for.
  const snap = started && blob ? started : undefined;
  // The packages the blob is for: those the program loads first, in order. The client keys
  // the blob by them, so a plan holds their modules and nothing else, and only those loaded
  // before the kernel loaded any other package (`cutoff`: the module cache's files then).
  // Evaluating another package may change global state its own program relies on and a
  // program that never loads it must not see.
  const keyed = new Set((process.env.JSII_RS_SNAPSHOT_PACKAGES || '').split(',').filter(Boolean));
  let cutoff;
  // The real directory of each package the kernel loaded, and which were served.
  const packages = {};
  const served = new Set();
  const verdicts = new Map();
  // The kernel's work directory's node_modules (with a trailing separator), once it used it.
  let workDir;
  const realOf = (dir) => {
    try {
      return fs.realpathSync(dir);
    } catch {
      return undefined;
    }
  };
  // Whether the snapshot may serve package `name` of the work directory `base`.
  const servable = (base, name, seen = new Set()) => {
    const known = verdicts.get(name);
    if (known !== undefined) {
      return known;
    }
    const held = snap.packages[name];
    // The package in the work directory is the snapshot's, and so is the link the snapshot's
    // modules load the rest of it through.
    let ok =
      held !== undefined &&
      realOf(path.join(base, name)) === held.real &&
      realOf(path.join(snap.root, 'node_modules', name)) === held.real;
    seen.add(name);
    for (const dep of ok ? held.deps : []) {
      ok = ok && (seen.has(dep) || servable(base, dep, seen));
    }
    verdicts.set(name, ok);
    if (ok) {
      served.add(name);
    }
    return ok;
  };
  if (snap) {
    // graceful-fs (bundled in aws-cdk-lib) keeps the working directory it first saw, which
    // was the builder's; changing directory makes it ask again.
    process.chdir('.');
    for (const [file, mod] of snap.registry) {
      Module._cache[file] = mod;
    }
    const parentFor = (mod) => {
      const parent = new Module(mod.filename, null);
      parent.filename = mod.filename;
      parent.paths = mod.paths;
      return parent;
    };
    // A module the snapshot did not evaluate: node loads it (through the cache above).
    snap.load = (file, mod) => Module._load(file, parentFor(mod), false);
    // A snapshot module requiring a file of another package: the snapshot's when the kernel
    // has the same package (undefined), else the kernel's own ({ exports }).
    const rootModules = path.join(snap.root, 'node_modules') + path.sep;
    snap.cross = (name, file, mod) => {
      if (workDir === undefined || servable(workDir, name)) {
        return undefined;
      }
      const relative = file.slice(rootModules.length);
      return { exports: Module._load(workDir + relative, parentFor(mod), false) };
    };
  }
  const load = Module._load;
  Module._load = function jsiiRsSnapshotLoad(request, parent, isMain) {
    const direct = typeof request === 'string' ? KERNEL_PACKAGE.exec(request) : null;
    if (direct) {
      const name = direct[2];
      workDir = workDir ?? direct[1];
      if (direct[3] === undefined && !keyed.has(name) && cutoff === undefined) {
        cutoff = Object.keys(Module._cache);
      }
      if (packages[name] === undefined && keyed.has(name) && cutoff === undefined) {
        packages[name] = realOf(direct[1] + name);
      }
    }
    const from = parent && typeof parent.filename === 'string' ? parent.filename : '';
    if (snap && (direct || KERNEL_PACKAGE.test(from))) {
      let file;
      try {
        file = Module._resolveFilename(request, parent, isMain);
      } catch {
        return load.apply(this, arguments);
      }
      const match = KERNEL_PACKAGE.exec(file);
      if (match && match[3] !== undefined && servable(match[1], match[2])) {
        const mapped = path.join(snap.root, 'node_modules', match[2], match[3]);
        return load.call(this, mapped, parent, isMain);
      }
    }
    return load.apply(this, arguments);
  };
  if (!blob || !builder || keyed.size === 0 || failedLately(`${blob}.failed`)) {
    return;
  }
  process.once('exit', () => {
    try {
      if (snap && served.size > 0) {
        const now = new Date();
        fs.utimesSync(blob, now, now); // used: kept by the builder's pruning
        fs.utimesSync(snap.root, now, now);
      }
    } catch {
      // read-only: it may be pruned sooner
    }
    try {
      const known = Object.fromEntries(Object.entries(packages).filter(([, real]) => real));
      const plan = planSnapshot({
        snap,
        packages: known,
        cache: cutoff ?? Object.keys(Module._cache),
        served,
        blob,
        execArgv: snapshotFlags(process.execArgv),
        compileCache: compileCache || null,
      });
      if (plan === undefined || fs.existsSync(`${blob}.lock`)) {
        return;
      }
      const file = `${blob}.${process.pid}.plan.json`;
      fs.writeFileSync(file, JSON.stringify(plan));
      // Detached, and without the kernel's descriptors: fd 3 is the client's socket on a
      // direct launch, which a builder holding it open would keep from ending.
      const { spawn } = require('child_process');
      const stdio = ['ignore', 'ignore', 'ignore', 'ignore'];
      spawn(process.execPath, [builder, file], { detached: true, stdio }).unref();
    } catch {
      // best effort: no snapshot next time either
    }
  });
}

module.exports = { SNAPSHOT_DIR, withoutSnapshot, snapshotFlags, planSnapshot, packageModule, installSnapshot };
