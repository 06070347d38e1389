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
// 4. The template validator's engine, restored. aws-cdk-lib checks every synthesized template
//    with @aws/cloudformation-validate, a WebAssembly module whose rule engine takes 0.8-2 s
//    to construct, on every validating synth: most of the synth's time. Constructing it is
//    deterministic, so the instance's state after it is saved once per module and engine
//    configuration (170-215 MB, the two most recently used kept) and restored on later runs
//    instead, in about a tenth of the time (`validatorEngines` says what is saved and when a
//    snapshot may be used). Hooked in only where the package's generated glue is the known
//    one.
// 5. The kernel's packages from a startup snapshot of node's heap, in which they are already
//    evaluated (`installSnapshot`, and `kernel-snapshot.js` beside this file).
//
// Everything here is best effort: a cache or sidecar that cannot be read or written is skipped,
// and the kernel runs as it would without this file. `jsii-runtime` writes this file next to
// its packed tarballs and passes its settings in the environment:
//   JSII_RS_COMPILE_CACHE  the compile cache directory (empty: no compile cache)
//   JSII_RS_PROGRAM        an identity of the host program (its path, size and modification
//                          time, hashed): see `installCompileCache`
//   JSII_RS_DIGEST_MEMO    "0" turns the digest memo off
//   JSII_RS_VALIDATOR_SNAPSHOT  "0" turns the validator's snapshots off (they live in the
//                          compile cache directory, so no compile cache means none either)
//   JSII_RS_SNAPSHOT       the kernel's startup snapshot blob, used or to be built (unset: none)
//   JSII_RS_SNAPSHOT_BUILDER  the script that builds it
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

// The template validator (@aws/cloudformation-validate): its generated glue, as the package
// ships it (1.14.0), at the three places the hook touches. The instance's exports become the
// tracked ones, and the engine class is wrapped once the glue has started the instance.
const GLUE_FILE = `${path.sep}@aws${path.sep}cloudformation-validate${path.sep}bindings_wasm.js`;
const GLUE_LOAD =
  "const wasmBytes = require('fs').readFileSync(wasmPath);\n" +
  'const wasmModule = new WebAssembly.Module(wasmBytes);\n' +
  'let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());\n';
const GLUE_START = 'let wasm = wasmInstance.exports;\nwasm.__wbindgen_start();';
const GLUE_CONSTRUCTOR =
  '    constructor(config) {\n' +
  '        const ret = wasm.wasmcompositeengine_new(config);\n' +
  '        if (ret[2]) {\n' +
  '            throw takeFromExternrefTable0(ret[1]);\n' +
  '        }\n' +
  '        this.__wbg_ptr = ret[0];\n' +
  '        WasmCompositeEngineFinalization.register(this, this.__wbg_ptr, this);\n' +
  '        return this;\n' +
  '    }';
const GLUE_EXPORT = 'exports.WasmCompositeEngine = WasmCompositeEngine;';
// What replaces GLUE_START after GLUE_LOAD (on the same two lines, so the glue's line numbers
// stay): the snapshots see the module and the instance, its calls, and can make an engine
// object the way the constructor above does.
const glueStartHook = (glueHash) =>
  'const __jsiiRsEngines=(globalThis[Symbol.for("jsii-rs.validatorEngines")]||' +
  '((h,b,m,i)=>({exports:i.exports,install(){}})))' +
  `(${JSON.stringify(glueHash)},wasmBytes,wasmModule,wasmInstance);` +
  'let wasm=__jsiiRsEngines.exports;\n' +
  'wasm.__wbindgen_start();__jsiiRsEngines.install(exports,(p)=>{' +
  'const o=Object.create(WasmCompositeEngine.prototype);o.__wbg_ptr=p;' +
  'WasmCompositeEngineFinalization.register(o,p,o);return o},' +
  '()=>{wasm=wasmInstance.exports});';

// The validator's glue with the snapshots hooked in, or unchanged when it is not the known one.
function hookValidator(source) {
  const load = indexOnce(source, GLUE_LOAD + GLUE_START);
  if (load < 0 || indexOnce(source, GLUE_CONSTRUCTOR) < 0 || indexOnce(source, GLUE_EXPORT) < 0) {
    return source;
  }
  const at = load + GLUE_LOAD.length;
  const hook = glueStartHook(sha1(source).toString('hex'));
  return source.slice(0, at) + hook + source.slice(at + GLUE_START.length);
}

// The calls an instance may have had before an engine is built from (or saved as) a snapshot:
// the glue's start and calls that take no data. Anything else and the engine is built as usual.
const PRE_CALLS = new Set(['__wbindgen_start', 'setPanicListener', 'version', '__wbindgen_free']);
// How many of them an instance may have had (a few `version()`s) before tracking gives up.
const MAX_PRE_CALLS = 16;
// How many snapshots (engine configurations) are kept: the most recently written or used.
const SNAPSHOTS_KEPT = 2;
// The globals whose identity a snapshot may record for a reference-table slot.
const KNOWN_GLOBALS = ['performance', 'crypto', 'console', 'process', 'Date', 'Math', 'JSON'];
// A snapshot's format; part of its key.
const SNAPSHOT_VERSION = 1;

// Reads one unsigned LEB128 number of `bytes` at `at.pos`.
function readU32(bytes, at) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at.pos++];
    if (b === undefined || shift > 28) {
      throw new Error('bad LEB128');
    }
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      return result >>> 0;
    }
    shift += 7;
  }
}

// Skips one signed LEB128 number.
function skipLeb(bytes, at) {
  while (bytes[at.pos++] & 0x80) {
    if (at.pos > bytes.length) {
      throw new Error('bad LEB128');
    }
  }
}

// Whether each global the module `bytes` defines is mutable, in order (imported globals are
// not counted). Throws on anything it does not know how to read.
function definedGlobals(bytes) {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.readUInt32LE(0) !== 0x6d736100 || view.readUInt32LE(4) !== 1) {
    throw new Error('not a WebAssembly module');
  }
  const at = { pos: 8 };
  while (at.pos < view.length) {
    const id = view[at.pos++];
    const size = readU32(view, at);
    const end = at.pos + size;
    if (id === 6) {
      const globals = [];
      const count = readU32(view, at);
      for (let i = 0; i < count; i++) {
        const type = view[at.pos++];
        if (![0x7f, 0x7e, 0x7d, 0x7c, 0x70, 0x6f].includes(type)) {
          throw new Error(`a global of type 0x${type.toString(16)}`);
        }
        globals.push(view[at.pos++] === 1);
        // The initialiser: constants, global.get, ref.null/ref.func, extended-const arithmetic.
        for (let op = view[at.pos++]; op !== 0x0b; op = view[at.pos++]) {
          if (op === 0x41 || op === 0x42) {
            skipLeb(view, at);
          } else if (op === 0x43) {
            at.pos += 4;
          } else if (op === 0x44) {
            at.pos += 8;
          } else if (op === 0x23 || op === 0xd2) {
            readU32(view, at);
          } else if (op === 0xd0) {
            at.pos += 1;
          } else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) {
            throw new Error(`an initialiser with opcode 0x${op.toString(16)}`);
          }
          if (at.pos > end) {
            throw new Error('a truncated global section');
          }
        }
      }
      return globals;
    }
    at.pos = end;
  }
  return [];
}

// How a value in the instance's reference table can be made again in another process: a
// primitive by value, the global object or one of KNOWN_GLOBALS by name; undefined otherwise.
function describeValue(value) {
  if (value === undefined) {
    return { undefined: true };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return { value };
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return { value };
  }
  if (value === globalThis) {
    return { global: '' };
  }
  const name = KNOWN_GLOBALS.find((n) => globalThis[n] === value && typeof value === 'object');
  return name === undefined ? undefined : { global: name };
}

// The value `describeValue` described, or `missing` when this process has no such global.
function valueOf(description, missing) {
  if (description.undefined) {
    return undefined;
  }
  if ('value' in description) {
    return description.value;
  }
  if (description.global === '') {
    return globalThis;
  }
  const name = description.global;
  const value = KNOWN_GLOBALS.includes(name) ? globalThis[name] : undefined;
  return value === undefined ? missing : value;
}

// JSON of plain data (objects, arrays, strings, finite numbers, booleans, null) with sorted
// keys, or undefined when `value` holds anything else.
function canonicalJson(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return JSON.stringify(value);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  }
  if (Array.isArray(value)) {
    const items = value.map(canonicalJson);
    return items.includes(undefined) ? undefined : `[${items.join(',')}]`;
  }
  const prototype = typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (prototype === Object.prototype || prototype === null) {
    const parts = [];
    for (const key of Object.keys(value).sort()) {
      if (value[key] === undefined) {
        continue;
      }
      const item = canonicalJson(value[key]);
      if (item === undefined) {
        return undefined;
      }
      parts.push(`${JSON.stringify(key)}:${item}`);
    }
    return `{${parts.join(',')}}`;
  }
  return undefined;
}

// Reads `length` bytes of `fd` at `position` into `target` at `offset`; false if it cannot.
function readFully(fd, target, offset, length, position) {
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, target, offset + got, length - got, position + got);
    if (n === 0) {
      return false;
    }
    got += n;
  }
  return true;
}

// The exported mutable globals of `exports`, by name (a global that rejects being set to its
// own value is immutable; one exported under two names is listed once).
function mutableGlobals(exports) {
  const found = new Map();
  for (const [name, value] of Object.entries(exports)) {
    if (value instanceof WebAssembly.Global && ![...found.values()].includes(value)) {
      try {
        value.value = value.value;
        found.set(name, value);
      } catch {
        // immutable
      }
    }
  }
  return found;
}

// Snapshots of the validator's engine (section 4 of the header), in the compile cache
// directory `dir`.
//
// A snapshot is the instance's state right after `new WasmCompositeEngine(config)` returned:
// its linear memory (`validator-<key>-<pid>-<time>.mem`), the values of its exported mutable
// globals, the slots of its reference table that construction changed, and the engine's
// address (`validator-<key>.json`, written last, naming the memory file). Its key is the
// glue's hash, the module's bytes (SHA-1), the configuration as canonical JSON, node's version
// and the calls the instance had before construction. A later run whose instance had exactly
// those calls (PRE_CALLS only), with the same memory size, table size and globals, gets its
// engine by restoring that state: a state construction produces from the same inputs. What
// else construction reads through the glue's imports (the clock, random bytes) is what it
// read in the run that saved the snapshot; so the durations a report gives for building the
// engine (`performance.schemaInit`, `engineInit`) are that run's. The module must have at
// most one mutable global it does not export (the stack pointer, which a call leaves as it
// found it), and construction must leave in the table only values `describeValue` can make
// again; otherwise no snapshot is saved. Any failure before the memory is replaced builds the
// engine as usual.
function validatorEngines(dir) {
  const last = { outcome: undefined };
  const attach = function attach(glueHash, wasmBytes, wasmModule, instance) {
    const raw = instance.exports;
    // The calls so far while they are all PRE_CALLS (a few); after any other call the instance
    // can have no snapshot, and the glue goes back to the instance's own exports at once.
    const calls = [];
    let tracking = true;
    let stopTracking = () => {
      tracking = false;
    };
    const tracked = {};
    for (const [name, value] of Object.entries(raw)) {
      tracked[name] =
        typeof value !== 'function'
          ? value
          : (...args) => {
              if (tracking) {
                if (PRE_CALLS.has(name) && calls.length < MAX_PRE_CALLS) {
                  calls.push(name);
                } else {
                  stopTracking();
                }
              }
              return value(...args);
            };
    }
    const install = (glueExports, wrap, untrack) => {
      stopTracking = () => {
        tracking = false;
        untrack();
      };
      const Engine = glueExports.WasmCompositeEngine;
      function WasmCompositeEngine(config) {
        if (!new.target) {
          return Engine(config); // throws as the class does
        }
        const pre = tracking ? calls.slice() : undefined;
        stopTracking();
        const key = pre && snapshotKey(glueHash, wasmBytes, config, pre);
        const state = key && stateBefore(instance);
        const restored = state && restoreEngine(dir, key, instance, wrap);
        if (restored && restored !== GROWN) {
          last.outcome = 'restored';
          return restored;
        }
        const engine = new Engine(config);
        const saved =
          state &&
          restored !== GROWN &&
          saveEngine(dir, key, wasmBytes, wasmModule, instance, state, engine.__wbg_ptr);
        last.outcome = saved ? 'saved' : 'constructed';
        return engine;
      }
      Object.setPrototypeOf(WasmCompositeEngine, Engine);
      WasmCompositeEngine.prototype = Engine.prototype;
      glueExports.WasmCompositeEngine = WasmCompositeEngine;
    };
    return { exports: tracked, install };
  };
  attach.last = last;
  return attach;
}

// The snapshot key for an engine of `config` (see `validatorEngines`), or undefined when the
// configuration is not plain data.
function snapshotKey(glueHash, wasmBytes, config, pre) {
  const json = canonicalJson(config);
  if (json === undefined) {
    return undefined;
  }
  const wasmHash = sha1(wasmBytes).toString('hex');
  const parts = [SNAPSHOT_VERSION, glueHash, wasmHash, json, process.version, pre];
  return sha1(JSON.stringify(parts)).toString('hex');
}

// The instance's state before construction: memory size, table, exported mutable globals.
function stateBefore(instance) {
  const table = instance.exports.__wbindgen_externrefs;
  const memory = instance.exports.memory;
  if (!(table instanceof WebAssembly.Table) || !(memory instanceof WebAssembly.Memory)) {
    return undefined;
  }
  const slots = [];
  for (let i = 0; i < table.length; i++) {
    slots.push(table.get(i));
  }
  const globals = {};
  for (const [name, g] of mutableGlobals(instance.exports)) {
    globals[name] = g.value;
  }
  return { bytes: memory.buffer.byteLength, slots, globals };
}

// Makes `file` by calling `write` with a temporary file's descriptor and renaming it into
// place; false when it cannot.
function writeAtomically(file, write) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      write(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    return true;
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
}

// Saves the snapshot of an engine just constructed at `ptr` (see `validatorEngines`); false
// when the module or the table's contents rule a snapshot out, or it cannot be written.
function saveEngine(dir, key, wasmBytes, wasmModule, instance, before, ptr) {
  try {
    if (WebAssembly.Module.imports(wasmModule).some((i) => i.kind !== 'function')) {
      return false; // state outside the instance
    }
    const exported = mutableGlobals(instance.exports);
    const hidden = definedGlobals(wasmBytes).filter((m) => m).length - exported.size;
    if (hidden > 1) {
      return false;
    }
    const globals = [];
    for (const [name, g] of exported) {
      if (typeof g.value !== 'number' || !(name in before.globals)) {
        return false;
      }
      globals.push([name, before.globals[name], g.value]);
    }
    const table = instance.exports.__wbindgen_externrefs;
    const slots = [];
    for (let i = 0; i < table.length; i++) {
      const value = table.get(i);
      if (i < before.slots.length && value === before.slots[i]) {
        continue;
      }
      const description = describeValue(value);
      if (description === undefined) {
        return false;
      }
      slots.push([i, description]);
    }
    const memory = new Uint8Array(instance.exports.memory.buffer);
    // Each save's memory has a name of its own, so that the metadata a concurrent save
    // renames into place never describes another save's memory.
    const mem = `validator-${key}-${process.pid}-${Date.now()}.mem`;
    const meta = {
      version: SNAPSHOT_VERSION,
      key,
      mem,
      ptr,
      before: { bytes: before.bytes, table: before.slots.length },
      after: { bytes: memory.length, table: table.length },
      globals,
      slots,
    };
    const written =
      writeAtomically(path.join(dir, mem), (fd) => {
        for (let at = 0; at < memory.length; ) {
          at += fs.writeSync(fd, memory, at, Math.min(memory.length - at, 1 << 26));
        }
      }) &&
      writeAtomically(path.join(dir, `validator-${key}.json`), (fd) =>
        fs.writeSync(fd, JSON.stringify(meta)),
      );
    pruneSnapshots(dir);
    return written;
  } catch {
    return false;
  }
}

// The memory file a snapshot's metadata names, if it names one of its key.
function memoryFile(meta) {
  const name = meta && meta.mem;
  const ours = typeof name === 'string' && name.startsWith(`validator-${meta.key}-`);
  return ours && /^[\w-]+\.mem$/.test(name) ? name : undefined;
}

// Removes all but the SNAPSHOTS_KEPT most recently written or used snapshots in `dir`, and
// memory files no kept snapshot names (replaced, or left by a concurrent save).
function pruneSnapshots(dir) {
  try {
    const names = fs.readdirSync(dir);
    const metas = names
      .filter((n) => /^validator-[0-9a-f]{40}\.json$/.test(n))
      .map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    const kept = new Set();
    for (const { n } of metas.slice(0, SNAPSHOTS_KEPT)) {
      try {
        kept.add(memoryFile(JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8'))));
      } catch {
        // unreadable: its memory goes
      }
    }
    for (const { n } of metas.slice(SNAPSHOTS_KEPT)) {
      fs.rmSync(path.join(dir, n), { force: true });
    }
    for (const n of names.filter((n) => /^validator-.*\.mem$/.test(n) && !kept.has(n))) {
      fs.rmSync(path.join(dir, n), { force: true });
    }
  } catch {
    // another kernel may be pruning too
  }
}

// What `restoreEngine` returns when it grew the memory (or the table) and then could not go on:
// the instance is as before but for pages (or slots) nothing uses, and saves no snapshot of
// its own.
const GROWN = Symbol('grown');

// The engine restored from the snapshot `key` into `instance` (made by `wrap`); undefined,
// with the instance untouched, when there is none or it does not fit; GROWN (see there).
function restoreEngine(dir, key, instance, wrap) {
  const metaFile = path.join(dir, `validator-${key}.json`);
  let fd;
  try {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    const mem = memoryFile(meta);
    const { memory, __wbindgen_externrefs: table } = instance.exports;
    if (
      meta.version !== SNAPSHOT_VERSION ||
      meta.key !== key ||
      mem === undefined ||
      !Number.isSafeInteger(meta.ptr) ||
      !(memory instanceof WebAssembly.Memory) ||
      !(table instanceof WebAssembly.Table) ||
      memory.buffer.byteLength !== meta.before.bytes ||
      table.length !== meta.before.table ||
      meta.after.bytes < meta.before.bytes ||
      meta.after.bytes % 65536 !== 0 ||
      meta.after.table < meta.before.table
    ) {
      return undefined;
    }
    const globals = mutableGlobals(instance.exports);
    if (
      globals.size !== meta.globals.length ||
      !meta.globals.every(([name, before]) => globals.get(name)?.value === before)
    ) {
      return undefined;
    }
    const missing = {};
    const slots = meta.slots.map(([i, d]) => [i, valueOf(d, missing)]);
    const fits = ([i, v]) => v !== missing && Number.isSafeInteger(i) && i < meta.after.table;
    const numbers = meta.globals.every(([, , after]) => Number.isFinite(after));
    if (!slots.every(fits) || !numbers) {
      return undefined;
    }
    fd = fs.openSync(path.join(dir, mem), 'r');
    if (fs.fstatSync(fd).size !== meta.after.bytes) {
      return undefined;
    }
    // The new pages first: if reading fails, they are pages nothing uses yet. Then the old
    // ones through a buffer, so a failed read leaves them as they were.
    const head = Buffer.allocUnsafe(meta.before.bytes);
    const tail = meta.after.bytes - meta.before.bytes;
    memory.grow(tail / 65536);
    const view = new Uint8Array(memory.buffer);
    try {
      if (
        !readFully(fd, view, meta.before.bytes, tail, meta.before.bytes) ||
        !readFully(fd, head, 0, head.length, 0)
      ) {
        return GROWN;
      }
      if (meta.after.table > table.length) {
        table.grow(meta.after.table - table.length); // all or nothing
      }
    } catch {
      return GROWN;
    }
    // From here on nothing can fail (every value was checked above): the instance becomes the
    // snapshot's at once.
    view.set(head);
    for (const [i, value] of slots) {
      table.set(i, value);
    }
    for (const [name, , after] of meta.globals) {
      globals.get(name).value = after;
    }
    try {
      const now = new Date();
      fs.utimesSync(metaFile, now, now); // used: kept longest by `pruneSnapshots`
    } catch {
      // read-only: it may be pruned sooner
    }
    return wrap(meta.ptr);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}

// Installs the validator's snapshots in the compile cache directory `dir` (unless
// JSII_RS_VALIDATOR_SNAPSHOT is "0"): the hook applied to the glue calls them through a
// global. Whether they are on.
function installValidatorSnapshots(dir) {
  if (dir === undefined || process.env.JSII_RS_VALIDATOR_SNAPSHOT === '0') {
    return false;
  }
  globalThis[Symbol.for('jsii-rs.validatorEngines')] = validatorEngines(dir);
  return true;
}

// The manifest of the third-party versions each hook was written for and tested with
// (`hooks.json` beside this file, passed by the client as JSII_RS_HOOKS): hook name ->
// package name -> exact versions. Without it, no hook applies.
const HOOKS = (() => {
  try {
    return JSON.parse(process.env.JSII_RS_HOOKS || '{}');
  } catch {
    return {};
  }
})();

// Says, under JSII_DEBUG, that a hook stepped aside and why: one line on stderr.
function stepAside(hook, why) {
  const debug = process.env.JSII_DEBUG;
  if (debug && debug !== '0') {
    process.stderr.write(`jsii-runtime: ${hook} off: ${why}\n`);
  }
}

// The package (`{ name, version }`) file `file` belongs to: the nearest package.json above it
// that names one; undefined when there is none.
function packageOfFile(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (typeof json.name === 'string' && typeof json.version === 'string') {
        return { name: json.name, version: json.version };
      }
    } catch {
      // no package.json here
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

// Whether `hook` knows the version of the package `file` belongs to (HOOKS); says why not.
function hookKnows(hook, file, manifest = HOOKS) {
  const pkg = packageOfFile(file);
  const versions = pkg && manifest[hook] && manifest[hook][pkg.name];
  if (Array.isArray(versions) && versions.includes(pkg.version)) {
    return true;
  }
  stepAside(
    hook,
    pkg
      ? `${pkg.name}@${pkg.version} is not a version it was written for (hooks.json)`
      : `${file} belongs to no package`,
  );
  return false;
}

// `source` with `hook` applied by `apply`, which leaves code it does not know unchanged; says so.
function applyHook(hook, apply, source) {
  const out = apply(source);
  if (out === source) {
    stepAside(hook, 'the code is not the text it was written for');
  }
  return out;
}

// Hooks the digest memo (unless JSII_RS_DIGEST_MEMO is "0") and the line reader into the
// kernel bundle as node compiles it, and the validator's snapshots (when `validator`) into the
// validator's glue, each only where the package is a version `HOOKS` lists for it.
function installKernelHooks(validator) {
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
      if (memo && hookKnows('digestMemo', filename)) {
        content = applyHook('digestMemo', hookDigest, content);
      }
      if (hookKnows('defsReader', filename)) {
        content = applyHook('defsReader', hookDefs, content);
      }
    } else if (
      validator &&
      typeof content === 'string' &&
      typeof filename === 'string' &&
      filename.endsWith(GLUE_FILE) &&
      hookKnows('validatorSnapshots', filename)
    ) {
      content = applyHook('validatorSnapshots', hookValidator, content);
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

// 5. The kernel's packages from a startup snapshot. Loading aws-cdk-lib's modules (parsing,
//    compiling and running their top levels) is most of a small app's synth without
//    validation. The client starts node from a V8 startup snapshot in which they are already
//    evaluated (`--snapshot-blob`, built by `kernel-snapshot.js`, which says how and what it
//    guards against) when one exists for this node, these flags and this kernel, and passes
//    its path (JSII_RS_SNAPSHOT) either way. Here:
//    - with a snapshot, the evaluated modules join node's module cache under the snapshot's
//      own directory, and a require of a package file in the kernel's work directory is
//      served from it when the package there is the very one the snapshot holds (the same
//      directory in the kernel's package cache, and so are the packages it reached);
//    - at exit, when the kernel loaded enough package modules the snapshot does not hold, a
//      plan is written and the builder started in the background (detached) for next time.
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

// The compile cache first: the hooks must see (and change) the kernel's source before any
// cache compiles it.
const cacheDir = compileCacheDir();
if (cacheDir !== undefined) {
  installCompileCache(cacheDir);
}
installKernelHooks(installValidatorSnapshots(cacheDir));
if (process.env.JSII_RS_SNAPSHOT) {
  installSnapshot(cacheDir);
}

module.exports = {
  hookKnows,
  packageOfFile,
  hookDigest,
  hookDefs,
  readDefs,
  memoDigest,
  fullDigest,
  hookValidator,
  definedGlobals,
  describeValue,
  canonicalJson,
  withoutSnapshot,
  snapshotFlags,
  planSnapshot,
  packageModule,
};
