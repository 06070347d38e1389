// jsii-runtime's builder of the kernel's startup snapshot: a V8 heap with the JavaScript
// packages an app's kernel loaded (aws-cdk-lib and its dependencies) already evaluated, which
// node restores instead of loading them again (`node --snapshot-blob <blob> ... program.js`).
//
// The preload script (`kernel-entry.js`, through hooks/startup-snapshot.js) writes a plan when
// a kernel exits and starts this script on it, detached:
//
//   node kernel-snapshot.js <plan.json>
//
// which, holding a lock beside the blob, runs node on itself again in snapshot-building mode,
// with the kernel's own flags (node refuses a blob built under other V8 flags):
//
//   node <kernel flags> --snapshot-blob <blob>.<pid>.tmp --build-snapshot kernel-snapshot.js <plan>
//
// and renames the blob into place, or records why it could not (`<blob>.failed`: the client
// does not use that blob, and the preload does not plan it again for a day). The plan:
//
//   { "version": 1, "blob": "<path>", "execArgv": [...], "compileCache": "<dir>" | null,
//     "packages": { "<name>": "<the package's real directory>" },
//     "modules": ["<name>/<path inside the package>", ...],  (in the order they were loaded)
//     "requests": [["<name>/<path>", "<request>"], ...] }  (optional: see below)
//
// In building mode it lays the packages out as the kernel does (`<root>/node_modules/<name>`,
// symbolic links to the kernel's package cache; the root is named after the packages, so a
// blob never sees another blob's links change), evaluates the modules in order with a loader
// of its own (node's is not available while building a snapshot) using the compile cache's
// code where it has it, and leaves on `globalThis[Symbol.for("jsii-rs.snapshot")]` what the
// preload needs to serve them: the root, each package's real directory and the packages its
// modules reached, and the evaluated modules by file name.
//
// Each module's `require` keeps what it resolved, so a restored kernel skips node's resolver
// (a dozen stats and package.json reads a request) for those. A request first made after the
// restore (aws-cdk-lib's lazy submodule getters) is resolved by node and noted in the
// snapshot's `misses`; the preload puts them in the next plan's `requests`, which the build
// resolves, after evaluating the modules, into the requiring module's memory.
//
// What evaluating a module may have captured is the hazard of any snapshot. This builder:
//   - records every environment variable read while the modules evaluate (through process.env,
//     `os.homedir()` or `os.tmpdir()`), with its value, in
//     `<blob>.env` (one JSON array per line: [name, value] or [name, null] for unset); the
//     client passes the blob only while each has the same value;
//   - gives up (no blob) when the modules enumerate the environment or leave a variable changed,
//     load a native addon, or fail to evaluate, which includes using WebAssembly (node has no
//     `WebAssembly` while it builds a snapshot); the preload plans no build for a day after
//     that, and leaves out the packages it knows use WebAssembly;
//   - clears aws-cdk-lib's performance counters (core/lib/private/perf.js), so the builder's
//     own file reads are not reported as the app's.
// Modules that keep the working directory (graceful-fs, bundled in aws-cdk-lib) are reset by
// the preload, which changes to the directory it is in (`process.chdir(".")`); the build runs
// in the snapshots' directory, so that a module the reset misses shows at once.
// What it cannot see: a module that keeps a time, a process id or a random value from its
// load, or whose top level depends on what the app did before it was first required (the
// modules are evaluated in the order the kernel loaded them, before the app runs). aws-cdk-lib's
// modules do neither as far as the tests show (they compare whole cloud assemblies with and
// without a snapshot); `JSII_RS_KERNEL_SNAPSHOT=0` turns snapshots off.
'use strict';

const fs = require('fs');
const path = require('path');
const v8 = require('v8');

// The plan's format.
const PLAN_VERSION = 1;
// The global the preload reads.
const SNAPSHOT_KEY = Symbol.for('jsii-rs.snapshot');
// Where formatStacks leaves its reader for the inspector's function, for the moment it runs.
const FORMAT_NAME = 'jsii-rs.formatStack';
// aws-cdk-lib's performance counters (core/lib/private/perf.js).
const PERF_STATE = Symbol.for('@aws-cdk/core:performanceProfilingState');
// How long a build may take before the driver stops it.
const BUILD_TIMEOUT_MS = 180 * 1000;
// A lock older than this is left by a build that died: it is taken over.
const STALE_LOCK_MS = 2 * BUILD_TIMEOUT_MS;
// How long a blob or root (package links) nothing uses any more is kept.
const STALE_MS = 7 * 24 * 3600 * 1000;

// The package a "<name>/<path>" module belongs to, or undefined.
function packageOf(relative) {
  const parts = relative.split('/');
  const n = parts[0].startsWith('@') ? 2 : 1;
  return parts.length > n ? parts.slice(0, n).join('/') : undefined;
}

function readPlan(file) {
  const plan = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (
    plan.version !== PLAN_VERSION ||
    typeof plan.blob !== 'string' ||
    !Array.isArray(plan.execArgv) ||
    !Array.isArray(plan.modules) ||
    typeof plan.packages !== 'object' ||
    !(
      plan.requests === undefined ||
      (Array.isArray(plan.requests) &&
        plan.requests.every(
          (r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'string'),
        ))
    )
  ) {
    throw new Error(`${file}: not a snapshot plan of version ${PLAN_VERSION}`);
  }
  return plan;
}

// The directory the packages are linked under for `plan`: one per set of packages.
function rootFor(plan) {
  const crypto = require('crypto');
  const names = Object.keys(plan.packages).sort();
  const id = crypto
    .createHash('sha1')
    .update(JSON.stringify(names.map((n) => [n, plan.packages[n]])))
    .digest('hex')
    .slice(0, 16);
  return path.join(path.dirname(plan.blob), `root-${id}`);
}

// Makes `<root>/node_modules/<name>` a link to each package's real directory.
function linkPackages(root, packages) {
  for (const [name, real] of Object.entries(packages)) {
    const link = path.join(root, 'node_modules', ...name.split('/'));
    let current;
    try {
      current = fs.readlinkSync(link);
    } catch {
      // not there yet
    }
    if (current === real) {
      continue;
    }
    fs.mkdirSync(path.dirname(link), { recursive: true });
    const tmp = `${link}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(real, tmp, 'dir');
    fs.renameSync(tmp, link);
  }
  const now = new Date();
  fs.utimesSync(root, now, now);
}

// Removes from `dir` what nothing has used for STALE_MS: blobs of other launches (a kernel
// started from one marks it used) with their files, roots other than `keep`, and files left
// by builds that died.
function prune(dir, blob, keep) {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (file === keep || file.startsWith(blob)) {
        continue;
      }
      const stale = now - fs.statSync(file).mtimeMs > STALE_MS;
      if (name.startsWith('root-') && stale) {
        fs.rmSync(file, { recursive: true, force: true });
      } else if (/^kernel-[0-9a-f]+\.blob$/.test(name) && stale) {
        for (const ext of ['', '.env', '.failed']) {
          fs.rmSync(`${file}${ext}`, { force: true });
        }
      } else if (/\.(tmp|plan\.json|tmp\.env)$/.test(name) && stale) {
        fs.rmSync(file, { force: true });
      }
    }
  } catch {
    // another builder is pruning too
  }
}

// Takes the lock for `blob`, or returns false when another live build holds it.
function lock(file) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.closeSync(fs.openSync(file, 'wx'));
      return true;
    } catch (e) {
      if (e.code !== 'EEXIST') {
        return false;
      }
      try {
        if (Date.now() - fs.statSync(file).mtimeMs < STALE_LOCK_MS) {
          return false;
        }
        fs.rmSync(file, { force: true });
      } catch {
        return false;
      }
    }
  }
  return false;
}

// Driver mode: builds the plan's blob in a child node and puts it in place.
function drive(planFile) {
  const { spawnSync } = require('child_process');
  const plan = readPlan(planFile);
  const lockFile = `${plan.blob}.lock`;
  if (!lock(lockFile)) {
    fs.rmSync(planFile, { force: true });
    return;
  }
  const tmp = `${plan.blob}.${process.pid}.tmp`;
  try {
    const root = rootFor(plan);
    linkPackages(root, plan.packages);
    prune(path.dirname(plan.blob), plan.blob, root);
    const args = [
      ...plan.execArgv,
      '--snapshot-blob',
      tmp,
      '--build-snapshot',
      __filename,
      planFile,
      root,
      tmp,
    ];
    const run = spawnSync(process.execPath, args, {
      cwd: path.dirname(plan.blob),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 1 << 20,
    });
    if (run.status !== 0 || !fs.existsSync(tmp) || !fs.existsSync(`${tmp}.env`)) {
      const why = run.error
        ? String(run.error)
        : `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}`;
      const stderr = String(run.stderr || '').split('\n').slice(-20).join('\n');
      fs.writeFileSync(`${plan.blob}.failed`, `${why}\n${stderr}\n`);
      return;
    }
    // The environment file last: the client uses a blob only when both are there.
    fs.rmSync(`${plan.blob}.env`, { force: true });
    fs.renameSync(tmp, plan.blob);
    fs.renameSync(`${tmp}.env`, `${plan.blob}.env`);
    fs.rmSync(`${plan.blob}.failed`, { force: true });
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}.env`, { force: true });
    fs.rmSync(planFile, { force: true });
    fs.rmSync(lockFile, { force: true });
  }
}

// Building mode: evaluates the plan's modules under `root` and leaves them for the snapshot.
function build(planFile, root, blobTmp) {
  const vm = require('vm');
  const crypto = require('crypto');
  const Module = require('module');
  const plan = readPlan(planFile);
  const nodeModules = path.join(root, 'node_modules');
  const builtin = require;
  const registry = new Map();
  const deps = new Map(Object.keys(plan.packages).map((n) => [n, new Set()]));
  // Each module's `require` parent and resolved requests (request -> file), by file name.
  const memos = new Map();
  // What the preload reads; `load` and `cross` are its own once restored. `requests` are the
  // ones resolved ahead below, `misses` those a restored kernel had to resolve itself.
  const snapshot = {
    root,
    packages: {},
    registry,
    load: undefined,
    cross: undefined,
    requests: [],
    misses: [],
  };
  globalThis[SNAPSHOT_KEY] = snapshot;

  // A file under the root as "<name>/<path inside the package>", or undefined.
  const prefix = nodeModules + path.sep;
  const moduleOf = (file) =>
    file.startsWith(prefix) ? file.slice(prefix.length).split(path.sep).join('/') : undefined;
  // The package a file under the root belongs to, or undefined.
  const packageOfFile = (file) => {
    const m = moduleOf(file);
    return m === undefined ? undefined : packageOf(m);
  };

  // While building: `from`'s modules reached the package `to` (another one, or undefined).
  const reach = (from, to) => {
    if (to !== undefined && to !== from && deps.has(from)) {
      deps.get(from).add(to);
    }
  };

  const makeRequire = (mod) => {
    const parent = { id: mod.filename, filename: mod.filename, paths: mod.paths };
    const from = packageOfFile(mod.filename);
    // Resolved here or restored, a request resolves to the same file: the files under the root
    // are the package-cache entries the preload checked before serving any of them.
    const resolved = new Map();
    memos.set(mod.filename, { parent, resolved });
    const require = function require(request) {
      if (Module.isBuiltin(request)) {
        return builtin(request);
      }
      const restored = globalThis[SNAPSHOT_KEY];
      let file = resolved.get(request);
      if (file === undefined) {
        file = Module._resolveFilename(request, parent, false);
        resolved.set(request, file);
        if (restored.load) {
          restored.misses.push([moduleOf(mod.filename), request]);
        }
      }
      const to = packageOfFile(file);
      if (restored.cross) {
        if (to !== undefined && to !== from) {
          // Restored: another package is the snapshot's only if the kernel's is the same.
          const other = restored.cross(to, file, mod);
          if (other !== undefined) {
            return other.exports;
          }
        }
      } else {
        reach(from, to);
      }
      const hit = registry.get(file);
      if (hit) {
        return hit.exports;
      }
      // Restored, the preload loads what was not evaluated here.
      return restored.load ? restored.load(file, mod) : load(file);
    };
    require.resolve = (request) =>
      Module.isBuiltin(request) ? request : Module._resolveFilename(request, parent, false);
    require.cache = Object.create(null);
    require.main = undefined;
    return require;
  };

  const cached = (filename, source) => {
    if (!plan.compileCache) {
      return undefined;
    }
    try {
      const real = fs.realpathSync.native(filename);
      const name = crypto.createHash('sha1').update(real).digest('hex');
      const entry = fs.readFileSync(path.join(plan.compileCache, name));
      const hash = crypto.createHash('sha1').update(source).digest();
      const fits = entry.length > 20 && entry.subarray(0, 20).equals(hash);
      return fits ? entry.subarray(20) : undefined;
    } catch {
      return undefined;
    }
  };

  const load = (filename) => {
    const mod = {
      id: filename,
      filename,
      path: path.dirname(filename),
      paths: Module._nodeModulePaths(path.dirname(filename)),
      exports: {},
      parent: null,
      children: [],
      loaded: false,
    };
    mod.require = makeRequire(mod);
    registry.set(filename, mod);
    if (filename.endsWith('.json')) {
      mod.exports = JSON.parse(fs.readFileSync(filename, 'utf8'));
    } else if (filename.endsWith('.node')) {
      throw new Error(`${filename}: a native addon cannot be in a snapshot`);
    } else {
      // As node's loader reads it: without a byte order mark; a hashbang line is kept as a
      // comment, since the wrapper is put before it.
      let source = fs.readFileSync(filename, 'utf8');
      if (source.charCodeAt(0) === 0xfeff) {
        source = source.slice(1);
      }
      if (source.startsWith('#!')) {
        source = `//${source.slice(2)}`;
      }
      const script = new vm.Script(Module.wrap(source), {
        filename,
        cachedData: cached(filename, source),
      });
      const wrapper = script.runInThisContext({ displayErrors: true });
      wrapper.call(mod.exports, mod.exports, mod.require, mod, filename, mod.path);
    }
    mod.loaded = true;
    return mod.exports;
  };

  // Every environment variable the modules read, with the value they saw. A module may set
  // one for a while (aws-cdk-lib quiets its deprecation warnings around a call), as long as
  // it is back as it was when they are all loaded.
  const env = process.env;
  const reads = new Map();
  const note = (key) => {
    if (typeof key === 'string' && !reads.has(key)) {
      reads.set(key, Object.prototype.hasOwnProperty.call(env, key) ? env[key] : null);
    }
  };
  let enumerated = false;
  // os.homedir() and os.tmpdir() read the environment without process.env (aws-cdk-lib keeps
  // its fingerprint cache's directory under the home directory from load time).
  const os = require('os');
  const { homedir, tmpdir } = os;
  os.homedir = function recordedHomedir() {
    ['HOME', 'USERPROFILE'].forEach(note);
    return homedir.apply(this, arguments);
  };
  os.tmpdir = function recordedTmpdir() {
    ['TMPDIR', 'TMP', 'TEMP'].forEach(note);
    return tmpdir.apply(this, arguments);
  };
  process.env = new Proxy(env, {
    get: (target, key) => (note(key), target[key]),
    has: (target, key) => (note(key), key in target),
    getOwnPropertyDescriptor: (target, key) => (
      note(key), Reflect.getOwnPropertyDescriptor(target, key)
    ),
    set: (target, key, value) => (note(key), Reflect.set(target, key, value)),
    deleteProperty: (target, key) => (note(key), Reflect.deleteProperty(target, key)),
    defineProperty: (target, key, d) => (note(key), Reflect.defineProperty(target, key, d)),
    ownKeys: (target) => ((enumerated = true), Reflect.ownKeys(target)),
  });
  // Objects given a stack trace by Error.captureStackTrace while the modules load: errors or
  // not, their stacks are formatted before the snapshot is taken (see formatStacks). A module
  // that kept this function calls the original once the build is over.
  const { captureStackTrace } = Error;
  let captured = [];
  Error.captureStackTrace = function captureStackTrace_(target, constructorOpt) {
    if (captured !== undefined && target !== null && typeof target === 'object') {
      captured.push(target);
    }
    return captureStackTrace.call(this, target, constructorOpt || captureStackTrace_);
  };
  try {
    for (const relative of plan.modules) {
      const file = path.join(nodeModules, ...relative.split('/'));
      if (!registry.has(file)) {
        load(file);
      }
    }
  } finally {
    process.env = env;
    Object.assign(os, { homedir, tmpdir });
    Error.captureStackTrace = captureStackTrace;
  }
  formatStacks(captured);
  captured = undefined;
  if (enumerated) {
    throw new Error('the modules enumerate the environment while they load');
  }
  // The requests earlier restored kernels made, resolved now into their module's memory (only
  // resolved: a module they name is evaluated when the kernel asks for it, as before).
  for (const [m, request] of plan.requests || []) {
    const file = path.join(nodeModules, ...m.split('/'));
    const memo = memos.get(file);
    if (memo === undefined || memo.resolved.has(request) || Module.isBuiltin(request)) {
      continue;
    }
    // Kept as asked, resolved or not, so that a kernel missing it again plans no new build.
    snapshot.requests.push([m, request]);
    try {
      const resolved = Module._resolveFilename(request, memo.parent, false);
      reach(packageOfFile(file), packageOfFile(resolved));
      memo.resolved.set(request, resolved);
    } catch {
      // not resolvable here: the kernel's resolver answers, as it would without the snapshot
    }
  }
  for (const [key, value] of reads) {
    const now = Object.prototype.hasOwnProperty.call(env, key) ? env[key] : null;
    if (now !== value) {
      throw new Error(`the modules change the environment variable ${key} while they load`);
    }
  }
  // A module that keeps the working directory once asked (graceful-fs) keeps this one, the
  // snapshots' directory, which no kernel works in: the preload's reset is then what every
  // run relies on, and a test notices when it is missing.
  process.cwd();
  const perf = globalThis[PERF_STATE];
  if (perf && typeof perf === 'object') {
    perf.allCounters = {};
    perf.telemetryCounters = {};
  }
  const lines = [...reads].map((pair) => JSON.stringify(pair));
  fs.writeFileSync(`${blobTmp}.env`, `${lines.join('\n')}\n`);
  snapshot.packages = Object.fromEntries(
    Object.entries(plan.packages).map(([n, real]) => [n, { real, deps: [...deps.get(n)] }]),
  );
}

// Formats the stack trace of every error in the heap, and of `others` (objects given one by
// Error.captureStackTrace). V8 formats a stack when it is first read; node 22 aborts while
// writing a snapshot that holds one never read ("std::length_error", from a `new Error()` at a
// module's top level, as jsonschema's helpers have). Node 20 reads none while it builds a
// snapshot (`stack` is undefined then, and after the restore), and needs nothing here. The
// heap's errors are found through the inspector (`Runtime.queryObjects` on Error.prototype),
// which answers at once within this process.
function formatStacks(others) {
  const read = (o) => {
    try {
      void o.stack;
    } catch {
      // a getter that throws: nothing left to format
    }
  };
  others.forEach(read);
  let inspector;
  try {
    inspector = require('inspector');
  } catch {
    return; // a node built without it: a snapshot that fails to build is marked failed
  }
  const session = new inspector.Session();
  session.connect();
  try {
    const post = (method, params) => {
      let answer;
      session.post(method, params, (error, result) => {
        if (error) {
          throw error;
        }
        answer = result;
      });
      if (answer === undefined) {
        throw new Error(`the inspector did not answer ${method} at once`);
      }
      return answer;
    };
    globalThis[Symbol.for(FORMAT_NAME)] = read;
    const proto = post('Runtime.evaluate', { expression: 'Error.prototype' });
    const errors = post('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
    post('Runtime.callFunctionOn', {
      objectId: errors.objects.objectId,
      functionDeclaration: `function () { this.forEach(globalThis[Symbol.for('${FORMAT_NAME}')]); }`,
    });
  } finally {
    delete globalThis[Symbol.for(FORMAT_NAME)];
    session.disconnect();
  }
}

if (v8.startupSnapshot && v8.startupSnapshot.isBuildingSnapshot()) {
  const [planFile, root, blobTmp] = process.argv.slice(2);
  build(planFile, root, blobTmp);
} else if (require.main === module) {
  try {
    drive(process.argv[2]);
  } catch {
    // best effort: the kernel runs without a snapshot
  }
}
