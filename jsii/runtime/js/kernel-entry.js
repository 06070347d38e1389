// jsii-runtime's preload for the kernel's node (`node --require kernel-entry.js program.js`).
//
// It makes a kernel start faster without changing what it does. Each speed-up is a file of
// its own in hooks/, and each one that changes third-party code applies only to the versions
// hooks.json lists for it (on any other it steps aside, with one line on stderr under
// JSII_DEBUG, and the kernel runs as it would without it):
//
// 1. hooks/compile-cache.js: a compile cache for the JavaScript the kernel runs (its own
//    bundle, aws-cdk-lib and the rest), V8's code cache of each module kept across runs.
// 2. hooks/digest-memo.js (`digestMemo`): the package cache's tarball digest, remembered
//    beside the tarball instead of hashed on every load.
// 3. hooks/defs-reader.js (`defsReader`): a type's definition read from its line of the
//    runtime index instead of the whole definitions file.
// 4. hooks/validator-snapshots.js (`validatorSnapshots`): the template validator's engine
//    restored from a snapshot instead of constructed on every validating synth.
// 5. hooks/startup-snapshot.js (`startupSnapshot`): the kernel's packages from a startup
//    snapshot of node's heap, in which they are already evaluated.
// hooks/common.js holds what they share (the manifest, stepping aside).
//
// Everything here is best effort: a cache or sidecar that cannot be read or written is skipped,
// and the kernel runs as it would without this file. `jsii-runtime` writes these files next to
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

const path = require('path');
const Module = require('module');
const { hookKnows, applyHook, packageOfFile } = require('./hooks/common.js');
const { installCompileCache, compileCacheDir } = require('./hooks/compile-cache.js');
const { memoDigest, fullDigest, hookDigest } = require('./hooks/digest-memo.js');
const { readDefs, hookDefs } = require('./hooks/defs-reader.js');
const validator = require('./hooks/validator-snapshots.js');
const snapshot = require('./hooks/startup-snapshot.js');

const { GLUE_FILE, hookValidator, installValidatorSnapshots } = validator;
const { installSnapshot } = snapshot;

// Hooks the digest memo (unless JSII_RS_DIGEST_MEMO is "0") and the line reader into the
// kernel bundle as node compiles it, and the validator's snapshots (when `withValidator`) into
// the validator's glue, each only where the package is a version hooks.json lists for it.
function installKernelHooks(withValidator) {
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
      withValidator &&
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
  definedGlobals: validator.definedGlobals,
  describeValue: validator.describeValue,
  canonicalJson: validator.canonicalJson,
  withoutSnapshot: snapshot.withoutSnapshot,
  snapshotFlags: snapshot.snapshotFlags,
  planSnapshot: snapshot.planSnapshot,
  packageModule: snapshot.packageModule,
};
