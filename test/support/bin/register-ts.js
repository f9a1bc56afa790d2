'use strict';
// Lets the shim executables load TypeScript sources directly: a plain transpile, no type check
// (tsc and the tests do that). Only for test doubles; the product runs compiled code.
// Transpiled output is cached by path, size and mtime, so `typescript` (slow to load) is only
// required when a source changed.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const cacheDir = path.join(os.tmpdir(), `fea-shim-ts-cache-${process.getuid ? process.getuid() : 'u'}`);
let ts;

function transpile(filename, source) {
  const stat = fs.statSync(filename);
  const key = crypto.createHash('sha256').update(`${filename}\0${stat.size}\0${stat.mtimeMs}`).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not cached yet
  }
  ts = ts || require('typescript');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temp, outputText);
    fs.renameSync(temp, cached);
  } catch {
    // a cache we cannot write only costs time
  }
  return outputText;
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    module._compile(transpile(filename, fs.readFileSync(filename, 'utf8')), filename);
  };
}
