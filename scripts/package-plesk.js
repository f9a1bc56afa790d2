#!/usr/bin/env node
'use strict';
/**
 * Builds the Plesk extension zip (`npm run package:plesk`): the contents of plugin/plesk/ at the zip's
 * root, as Plesk installs extensions (`plesk bin extension --install <zip>`; layout of Plesk's own
 * ext-domain-connect, docs/reference/plesk.md §7.1), with
 *   - meta.xml's <version> set to package.json's version;
 *   - sbin/fix-email-auth-relay's first line pointing at --node PATH (default `/usr/bin/env node`),
 *     because Plesk runs it without a login PATH;
 *   - Unix modes kept (0755 for sbin/ and directories, 0644 for the rest) and a fixed timestamp, so
 *     the same input gives the same bytes (the installer compares hashes to skip a reinstall).
 *
 *   node scripts/package-plesk.js [--node /usr/bin/node] [--out dist/fix-email-auth-plesk.zip]
 *
 * fflate (a dependency) writes the zip: no `zip` binary is needed on the server.
 */
const fs = require('fs');
const path = require('path');
const { zipSync } = require('fflate');

const SOURCE = path.resolve(__dirname, '..');
const EXTENSION = path.join(SOURCE, 'plugin', 'plesk');
const FIXED_TIME = new Date('2020-01-01T00:00:00Z');

function option(argv, name, fallback) {
  const i = argv.indexOf(name);
  if (i === -1) return fallback;
  const value = argv[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function walk(dir, prefix = '') {
  const out = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    if (fs.statSync(full).isDirectory()) out.push(...walk(full, rel));
    else out.push(rel);
  }
  return out;
}

function contentOf(rel, node, version) {
  let text = fs.readFileSync(path.join(EXTENSION, rel));
  if (rel === 'meta.xml') {
    const xml = text.toString('utf8');
    if (!/<version>[^<]*<\/version>/.test(xml)) throw new Error('meta.xml has no <version>');
    text = Buffer.from(xml.replace(/<version>[^<]*<\/version>/, `<version>${version}</version>`), 'utf8');
  }
  if (rel.startsWith('sbin/')) {
    const script = text.toString('utf8');
    text = Buffer.from(script.replace(/^#![^\n]*/, node ? `#!${node}` : '#!/usr/bin/env node'), 'utf8');
  }
  return new Uint8Array(text);
}

function build({ node, out }) {
  if (node && !/^\/[A-Za-z0-9._/-]+$/.test(node)) throw new Error(`--node must be an absolute path, got ${node}`);
  const version = JSON.parse(fs.readFileSync(path.join(SOURCE, 'package.json'), 'utf8')).version;
  const files = {};
  for (const rel of walk(EXTENSION)) {
    const mode = rel.startsWith('sbin/') ? 0o755 : 0o644;
    files[rel] = [contentOf(rel, node, version), { os: 3, attrs: ((0o100000 | mode) << 16) >>> 0, mtime: FIXED_TIME, level: 9 }];
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, zipSync(files));
  return { out, files: Object.keys(files), version };
}

if (require.main === module) {
  try {
    const argv = process.argv.slice(2);
    const result = build({
      node: option(argv, '--node', null),
      out: path.resolve(option(argv, '--out', path.join(SOURCE, 'dist', 'fix-email-auth-plesk.zip'))),
    });
    process.stdout.write(`${result.out}: fix-email-auth ${result.version}, ${result.files.length} files\n`);
  } catch (err) {
    process.stderr.write(`package-plesk: ${err.message}\n`);
    process.exit(1);
  }
}

module.exports = { build };
