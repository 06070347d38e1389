// What every hook of jsii-runtime's preload shares (`kernel-entry.js` loads the hooks): the
// manifest of the third-party versions each hook knows, the one line a hook says when it steps
// aside, and small helpers.
'use strict';

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const Module = require('module');

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

// Where `text` is in `source`, or -1 unless it is there exactly once: a hook goes only where
// the kernel's code is exactly the code it knows.
function indexOnce(source, text) {
  const at = source.indexOf(text);
  return at >= 0 && source.indexOf(text, at + 1) < 0 ? at : -1;
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

module.exports = { HOOKS, stepAside, packageOfFile, hookKnows, applyHook, indexOnce, makeRequire, sha1 };
