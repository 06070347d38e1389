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
// 3. Type definitions read line by line. The kernel finds a type's definition in the package's
//    runtime index (`.jsii.runtime-defs.v1.jsonl`, one JSON line per type, with the byte
//    offsets in `.jsii.runtime-index.v1`) and reads the whole file on its first lookup to parse
//    one line: 23 MB and 20-80 ms for aws-cdk-lib, on every run. This reads the line's bytes
//    only. Like the memo, it is hooked in only where the kernel's code is the known one.
//
// Everything here is best effort: a cache or sidecar that cannot be read or written is skipped,
// and the kernel runs as it would without this file. `jsii-runtime` writes this file next to
// its packed tarballs and passes its settings in the environment:
//   JSII_RS_COMPILE_CACHE  the compile cache directory (empty: no compile cache)
//   JSII_RS_PROGRAM        an identity of the host program (its path, size and modification
//                          time, hashed): see `installCompileCache`
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

// Where `text` is in `source`, or -1 unless it is there exactly once: a hook goes only where
// the kernel's code is exactly the code it knows.
function indexOnce(source, text) {
  const at = source.indexOf(text);
  return at >= 0 && source.indexOf(text, at + 1) < 0 ? at : -1;
}

// The kernel bundle's source with the memo hooked into its digest function, or unchanged.
function hookDigest(source) {
  const at = indexOnce(source, DIGEST_HEAD);
  if (at < 0) {
    return source;
  }
  const body = at + DIGEST_HEAD.length;
  if (!source.startsWith(DIGEST_BODY, body)) {
    return source;
  }
  return source.slice(0, body) + DIGEST_HOOK + source.slice(body);
}

// The kernel's lookup of one type definition (1.140.0, `LazyTypes.get`): the byte range of the
// type's line (F to N) from the index, and the whole definitions file read (once) to parse it.
const DEFS_READ =
  'const _=re(this,X,null!==(p=ne(this,X,"f"))&&void 0!==p?p:(0,oe.readFileSync)(ne(this,V,"f")),"f"),' +
  'F=ne(this,g,"f").readUInt32LE(ne(this,B,"f")+4*f),' +
  'N=ne(this,g,"f").readUInt32LE(ne(this,B,"f")+4*(f+1)),' +
  'K=JSON.parse(_.toString("utf-8",F,N));';
// The same lookup reading the line alone, and the whole file as before when that fails.
const DEFS_HOOK =
  'const F=ne(this,g,"f").readUInt32LE(ne(this,B,"f")+4*f),' +
  'N=ne(this,g,"f").readUInt32LE(ne(this,B,"f")+4*(f+1)),' +
  '__jsiiRsDefs=globalThis[Symbol.for("jsii-rs.readDefs")],' +
  'K=JSON.parse((__jsiiRsDefs&&__jsiiRsDefs(ne(this,V,"f"),F,N))??' +
  're(this,X,null!==(p=ne(this,X,"f"))&&void 0!==p?p:(0,oe.readFileSync)(ne(this,V,"f")),"f")' +
  '.toString("utf-8",F,N));';

// The definitions files read so far, by path: their open descriptors.
const defsFiles = new Map();

// Bytes `start` to `end` of the definitions file `file` as text, or undefined (the kernel then
// reads the whole file) when they cannot be read.
function readDefs(file, start, end) {
  try {
    let fd = defsFiles.get(file);
    if (fd === undefined) {
      fd = fs.openSync(file, 'r');
      defsFiles.set(file, fd);
    }
    const bytes = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < bytes.length) {
      const n = fs.readSync(fd, bytes, got, bytes.length - got, start + got);
      if (n === 0) {
        return undefined;
      }
      got += n;
    }
    return bytes.toString('utf8');
  } catch {
    return undefined;
  }
}

// The kernel bundle's source with the line reader hooked into its type lookup, or unchanged.
function hookDefs(source) {
  const at = indexOnce(source, DEFS_READ);
  if (at < 0) {
    return source;
  }
  return source.slice(0, at) + DEFS_HOOK + source.slice(at + DEFS_READ.length);
}

// Hooks the digest memo (unless JSII_RS_DIGEST_MEMO is "0") and the line reader into the
// kernel bundle as node compiles it.
function installKernelHooks() {
  const memo = process.env.JSII_RS_DIGEST_MEMO !== '0';
  if (memo) {
    globalThis[Symbol.for('jsii-rs.digestFile')] = memoDigest;
  }
  globalThis[Symbol.for('jsii-rs.readDefs')] = readDefs;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function jsiiRsCompile(content, filename, ...rest) {
    if (
      typeof content === 'string' &&
      typeof filename === 'string' &&
      filename.endsWith(`${path.sep}program.js`)
    ) {
      content = hookDefs(memo ? hookDigest(content) : content);
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

// The compile cache first: the hooks must see (and change) the kernel's source before any
// cache compiles it.
installCompileCache();
installKernelHooks();

module.exports = { hookDigest, hookDefs, readDefs, memoDigest, fullDigest };
