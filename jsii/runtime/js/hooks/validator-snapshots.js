// Hook `validatorSnapshots` of jsii-runtime's preload (`kernel-entry.js` installs it). The template validator's engine, restored. aws-cdk-lib checks every synthesized template
// with @aws/cloudformation-validate, a WebAssembly module whose rule engine takes 0.8-2 s
// to construct, on every validating synth: most of the synth's time. Constructing it is
// deterministic, so the instance's state after it is saved once per module and engine
// configuration (170-215 MB, the two most recently used kept) and restored on later runs
// instead, in about a tenth of the time (`validatorEngines` says what is saved and when a
// snapshot may be used). Hooked in only where the package's generated glue is the known
// one.
// The versions it knows: `validatorSnapshots` in hooks.json.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Module = require('module');
const { indexOnce, sha1 } = require('./common.js');

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

module.exports = { GLUE_FILE, hookValidator, installValidatorSnapshots, definedGlobals, describeValue, canonicalJson };
