// The compile cache of jsii-runtime's preload (`kernel-entry.js` installs it). A compile cache for the JavaScript the kernel runs (its own bundle, aws-cdk-lib and the
// rest): V8's code cache of each module, kept across runs (`installCompileCache` says why
// node's own `module.enableCompileCache` cannot serve here).
// It changes no third-party code, so it has no entry in hooks.json.
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');
const { makeRequire, sha1 } = require('./common.js');
const { SNAPSHOT_DIR, withoutSnapshot } = require('./startup-snapshot.js');

// How long a compile cache directory of another node version or other flags is kept unused.
const STALE_CACHE_MS = 30 * 24 * 3600 * 1000;
// How many contributing programs the `programs` file remembers (the most recent ones).
const PROGRAMS_KEPT = 64;
// What a program identity looks like (the host passes a hash in hex).
const PROGRAM_ID = /^[0-9a-f]{1,64}$/;

// The program identities recorded in `file`, oldest first (none when it cannot be read).
function readPrograms(file) {
  try {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    return lines.filter((line) => PROGRAM_ID.test(line));
  } catch {
    return [];
  }
}

// Adds `program` to the identities in `file`, keeping the PROGRAMS_KEPT most recent.
function recordProgram(file, program) {
  const programs = readPrograms(file).filter((p) => p !== program);
  programs.push(program);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${programs.slice(-PROGRAMS_KEPT).join('\n')}\n`);
  fs.renameSync(tmp, file);
}

// Marks `current` as used now and removes the other cache directories under `base` unused for
// STALE_CACHE_MS: each node upgrade or flag change starts a new directory, and without this the
// old ones would stay forever. Entries within a directory are per module path and overwritten
// when the module changes, so a directory in use does not grow without bound.
function pruneCompileCaches(base, current) {
  try {
    const now = new Date();
    fs.utimesSync(current, now, now);
    for (const name of fs.readdirSync(base)) {
      const other = path.join(base, name);
      if (other === current || name === SNAPSHOT_DIR) {
        continue;
      }
      const st = fs.statSync(other);
      if (st.isDirectory() && now.getTime() - st.mtimeMs > STALE_CACHE_MS) {
        fs.rmSync(other, { recursive: true, force: true });
      }
    }
  } catch {
    // best effort: another kernel may be pruning the same directory
  }
}

// Installs the compile cache: V8's code cache of each CommonJS module, in one file per module
// under `JSII_RS_COMPILE_CACHE`, named after the module's real path (the kernel loads packages
// through symlinks in a fresh temporary directory every run, so the path node sees changes,
// and node's own cache, keyed on it, would never hit) and checked against the source's hash.
// A module compiled without a usable cache entry gets one when the process exits, taken after
// it ran, so it holds the functions the run compiled lazily too.
//
// Which functions an entry holds depends on the program that wrote it: a test that touches
// little of aws-cdk-lib would leave a later app parsing the rest on every run. So each host
// program contributes once: the directory's `programs` file lists the identities
// (JSII_RS_PROGRAM) that already have; the first run of any other program re-serialises, at
// exit, every module it took from the cache and rewrites the entries that grew (code cached
// from a cache-loaded script holds the old functions and the new ones), then adds itself to the
// list. A rebuilt program has a new identity and contributes again; the others only read.
function installCompileCache(dir) {
  const vm = require('vm');
  const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const programsFile = path.join(dir, 'programs');
  const program = PROGRAM_ID.test(process.env.JSII_RS_PROGRAM || '')
    ? process.env.JSII_RS_PROGRAM
    : undefined;
  const contributing = program !== undefined && !readPrograms(programsFile).includes(program);
  // Modules compiled without a usable entry, and (when contributing) those taken from one.
  const pending = [];
  const hits = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function jsiiRsCachedCompile(content, filename, format) {
    // Only plain CommonJS; ES modules and the like (a `format` on newer Node) go to node.
    if (
      (format !== undefined && format !== 'commonjs') ||
      typeof content !== 'string' ||
      (dynamicImport === undefined && content.includes('import('))
    ) {
      return compile.apply(this, arguments);
    }
    let script;
    let file;
    let sourceHash;
    let cachedData;
    try {
      file = path.join(dir, sha1(fs.realpathSync.native(filename)).toString('hex'));
      sourceHash = sha1(content);
      try {
        const entry = fs.readFileSync(file);
        if (entry.length > 20 && entry.subarray(0, 20).equals(sourceHash)) {
          cachedData = entry.subarray(20);
        }
      } catch {
        // not cached yet
      }
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        importModuleDynamically: dynamicImport,
      });
    } catch {
      // Let node compile it, and report any syntax error its own way.
      return compile.apply(this, arguments);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      pending.push({ script, file, sourceHash });
    } else if (contributing) {
      hits.push({ script, file, sourceHash, length: cachedData.length });
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(
      this.exports,
      this.exports,
      makeRequire(this),
      this,
      filename,
      path.dirname(filename),
    );
  };
  const write = (file, sourceHash, data) => {
    try {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([sourceHash, data]));
      fs.renameSync(tmp, file);
    } catch {
      // read-only, or full: compile again next time
    }
  };
  process.once('exit', () => {
    for (const { script, file, sourceHash } of pending) {
      write(file, sourceHash, script.createCachedData());
    }
    if (contributing) {
      for (const { script, file, sourceHash, length } of hits) {
        const data = script.createCachedData();
        if (data.length > length) {
          write(file, sourceHash, data);
        }
      }
      try {
        recordProgram(programsFile, program);
      } catch {
        // read-only: contribute again next time
      }
    }
  });
}

// The compile cache directory for this node and its flags under JSII_RS_COMPILE_CACHE, made
// and pruned, or undefined when there is none.
function compileCacheDir() {
  const base = process.env.JSII_RS_COMPILE_CACHE;
  if (!base) {
    return undefined;
  }
  // V8 rejects code cached by another V8 or under other flags: one directory for each. The
  // startup snapshot a kernel starts from is not one of them (its code is the same).
  const flags = sha1(withoutSnapshot(process.execArgv).join('\0')).toString('hex').slice(0, 12);
  const dir = path.join(base, `${process.version}-${process.arch}-${flags}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return undefined;
  }
  pruneCompileCaches(base, dir);
  return dir;
}

module.exports = { installCompileCache, compileCacheDir };
