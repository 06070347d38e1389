// Hook `digestMemo` of jsii-runtime's preload (`kernel-entry.js` installs it). The package cache's tarball digest, remembered. On every `load` the kernel hashes the whole
// tarball (SHA-256 of its bytes, then "\0" name and "\0" version) to find its cache entry:
// about 40 ms for an aws-cdk-lib app. This computes the very same digest once per tarball and
// keeps it beside the tarball (`<tarball>.digest`), keyed on the tarball's size, modification
// time and inode; later loads of the unchanged file read it back. The cache entries are the
// kernel's own, so nothing else changes. It is applied only to the @jsii/runtime bundle whose
// digest function is known (the pinned 1.140.0 and any release with the same function);
// elsewhere the kernel hashes as before.
// The versions it knows: `digestMemo` in hooks.json.
'use strict';

const fs = require('fs');
const crypto = require('crypto');
const { indexOnce } = require('./common.js');

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

module.exports = { DIGEST_HEAD, fullDigest, memoDigest, hookDigest };
