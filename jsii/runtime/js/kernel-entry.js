// jsii-runtime's preload for the kernel's node (`node --require kernel-entry.js program.js`).
//
// It makes a kernel start faster without changing what it does:
//
// 1. A compile cache for the JavaScript the kernel runs (its own bundle, aws-cdk-lib and the
//    rest): V8's code cache of each module, kept across runs (`installCompileCache` says why
//    node's own `module.enableCompileCache` cannot serve here).
// 2. The package cache's tarball digest, remembered. On every `load` the kernel hashes the whole
//    tarball (SHA-256 of its bytes, then "\0" name and "\0" version) to find its cache entry:
//    about 40 ms for an aws-cdk-lib app. This computes the very same digest once per tarball and
//    keeps it beside the tarball (`<tarball>.digest`), keyed on the tarball's size, modification
//    time and inode; later loads of the unchanged file read it back. The cache entries are the
//    kernel's own, so nothing else changes. It is applied only to the @jsii/runtime bundle whose
//    digest function is known (the pinned 1.140.0 and any release with the same function);
//    elsewhere the kernel hashes as before.
//
// Everything here is best effort: a cache or sidecar that cannot be read or written is skipped,
// and the kernel runs as it would without this file. `jsii-runtime` writes this file next to
// its packed tarballs and passes its settings in the environment:
//   JSII_RS_COMPILE_CACHE  the compile cache directory (empty: no compile cache)
//   JSII_RS_DIGEST_MEMO    "0" turns the digest memo off
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Module = require('module');

// The kernel's digest function as the @jsii/runtime bundle spells it (1.140.0), up to its body.
const DIGEST_HEAD = 'p.digestFile=function digestFile(e,...p){';
// What is inserted at the start of its body: answer from the memo when it can.
const DIGEST_HOOK =
  'const __jsiiRsMemo=globalThis[Symbol.for("jsii-rs.digestFile")];' +
  'if(__jsiiRsMemo){const __d=__jsiiRsMemo(e,p);if(__d)return __d}';
// The rest of the function the memo reproduces; the hook is applied only when it matches.
const DIGEST_BODY =
  'const m=(0,f.createHash)("sha256"),g=Buffer.alloc(16384),_=(0,y.openSync)(e,"r");' +
  'try{let e=0;for(;(e=(0,y.readSync)(_,g))>0;)m.update(g.slice(0,e));' +
  'for(const e of p)m.update("\\0"),m.update(e);return m.digest()}finally{(0,y.closeSync)(_)}}';

// SHA-256 of the file's bytes, then "\0" and each of `extra`: the kernel's digest.
function fullDigest(file, extra) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(file));
  for (const e of extra) {
    hash.update('\0');
    hash.update(e);
  }
  return hash.digest();
}

// The digest of `file` with `extra` (name, version), from `<file>.digest` when that describes
// the same file; else computed and recorded. Returns undefined (the kernel hashes) on errors.
function memoDigest(file, extra) {
  try {
    const st = fs.statSync(file, { bigint: true });
    const key = JSON.stringify({
      v: 1,
      size: st.size.toString(),
      mtimeNs: st.mtimeNs.toString(),
      ino: st.ino.toString(),
      extra: extra.map(String),
    });
    const sidecar = `${file}.digest`;
    try {
      const [recordedKey, hex] = fs.readFileSync(sidecar, 'utf8').split('\n');
      if (recordedKey === key && /^[0-9a-f]{64}$/.test(hex)) {
        return Buffer.from(hex, 'hex');
      }
    } catch {
      // no sidecar yet
    }
    const digest = fullDigest(file, extra);
    try {
      const tmp = `${sidecar}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, `${key}\n${digest.toString('hex')}\n`);
      fs.renameSync(tmp, sidecar);
    } catch {
      // a read-only directory: hash again next time
    }
    return digest;
  } catch {
    return undefined;
  }
}

// The kernel bundle's source with the memo hooked into its digest function, or unchanged.
function hookDigest(source) {
  const at = source.indexOf(DIGEST_HEAD);
  if (at < 0 || source.indexOf(DIGEST_HEAD, at + 1) >= 0) {
    return source;
  }
  const body = at + DIGEST_HEAD.length;
  if (!source.startsWith(DIGEST_BODY, body)) {
    return source;
  }
  return source.slice(0, body) + DIGEST_HOOK + source.slice(body);
}

function installDigestMemo() {
  if (process.env.JSII_RS_DIGEST_MEMO === '0') {
    return;
  }
  globalThis[Symbol.for('jsii-rs.digestFile')] = memoDigest;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function jsiiRsCompile(content, filename, ...rest) {
    if (
      typeof content === 'string' &&
      typeof filename === 'string' &&
      filename.endsWith(`${path.sep}program.js`) &&
      content.includes(DIGEST_HEAD)
    ) {
      content = hookDigest(content);
    }
    return compile.call(this, content, filename, ...rest);
  };
}

// Node's `require` for module `mod`, as its CommonJS loader builds it.
function makeRequire(mod) {
  const require = function require(id) {
    return mod.require(id);
  };
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function sha1(data) {
  return crypto.createHash('sha1').update(data).digest();
}

// Installs the compile cache: V8's code cache of each CommonJS module, in one file per module
// under `JSII_RS_COMPILE_CACHE`, named after the module's real path (the kernel loads packages
// through symlinks in a fresh temporary directory every run, so the path node sees changes,
// and node's own cache, keyed on it, would never hit) and checked against the source's hash.
// A module compiled without a usable cache entry gets one when the process exits, taken after
// it ran, so it holds the functions the run compiled lazily too.
// How long a compile cache directory of another node version or other flags is kept unused.
const STALE_CACHE_MS = 30 * 24 * 3600 * 1000;

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
      if (other === current) {
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

function installCompileCache() {
  const base = process.env.JSII_RS_COMPILE_CACHE;
  if (!base) {
    return;
  }
  const vm = require('vm');
  const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  // V8 rejects code cached by another V8 or under other flags: one directory for each.
  const flags = sha1(process.execArgv.join('\0')).toString('hex').slice(0, 12);
  const dir = path.join(base, `${process.version}-${process.arch}-${flags}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return;
  }
  pruneCompileCaches(base, dir);
  const pending = [];
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
  process.once('exit', () => {
    for (const { script, file, sourceHash } of pending) {
      try {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.concat([sourceHash, script.createCachedData()]));
        fs.renameSync(tmp, file);
      } catch {
        // read-only, or full: compile again next time
      }
    }
  });
}

// The compile cache first: the digest memo's hook must see (and change) the kernel's source
// before any cache compiles it.
installCompileCache();
installDigestMemo();

module.exports = { hookDigest, memoDigest, fullDigest };
