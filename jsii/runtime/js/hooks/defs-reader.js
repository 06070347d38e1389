// Hook `defsReader` of jsii-runtime's preload (`kernel-entry.js` installs it). Type definitions read line by line. The kernel finds a type's definition in the package's
// runtime index (`.jsii.runtime-defs.v1.jsonl`, one JSON line per type, with the byte
// offsets in `.jsii.runtime-index.v1`) and reads the whole file on its first lookup to parse
// one line: 23 MB and 20-80 ms for aws-cdk-lib, on every run. This reads the line's bytes
// only. Like the memo, it is hooked in only where the kernel's code is the known one.
// The versions it knows: `defsReader` in hooks.json.
'use strict';

const fs = require('fs');
const path = require('path');
const { indexOnce } = require('./common.js');

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

module.exports = { readDefs, hookDefs };
