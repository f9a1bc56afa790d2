'use strict';
/**
 * PHP's `parse_str` as far as JetBackup's `-D` needs it (docs/reference/jetbackup-and-exim.md §1.1, §1.12):
 * `&`-separated pairs, `+` is a space, `%XX` are bytes (invalid escapes stay as typed), and bracket
 * keys build nested values: `a[b]=1` → {a:{b:'1'}}, `items[]=x&items[]=y` and `items[0]=x` → arrays.
 * Like PHP, dots and spaces in the base name become `_`. Values stay strings.
 */

function decodeComponent(text) {
  const bytes = [];
  const plain = text.replace(/\+/g, ' ');
  for (let i = 0; i < plain.length; i++) {
    const ch = plain[i];
    const hex = plain.slice(i + 1, i + 3);
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) bytes.push(byte);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `items[0][x]` → { base: 'items', path: ['0', 'x'] }; unmatched `[` ends the path (PHP-like). */
function splitKey(key) {
  const open = key.indexOf('[');
  if (open <= 0) return { base: key.replace(/[ .[]/g, '_'), path: [] };
  const base = key.slice(0, open).replace(/[ .]/g, '_');
  const path = [];
  const segment = /\[([^\]]*)\]/y;
  segment.lastIndex = open;
  let match;
  while ((match = segment.exec(key)) !== null) path.push(match[1]);
  if (path.length === 0) return { base: key.replace(/[ .[]/g, '_'), path: [] };
  return { base, path };
}

function nextIndex(container) {
  const indices = Object.keys(container)
    .filter((k) => /^\d+$/.test(k))
    .map(Number);
  return indices.length === 0 ? 0 : Math.max(...indices) + 1;
}

function assign(root, base, path, value) {
  if (path.length === 0) {
    root[base] = value;
    return;
  }
  if (root[base] === null || typeof root[base] !== 'object') root[base] = {};
  let container = root[base];
  path.forEach((segment, position) => {
    const key = segment === '' ? String(nextIndex(container)) : segment;
    if (position === path.length - 1) {
      container[key] = value;
    } else {
      if (container[key] === null || typeof container[key] !== 'object') container[key] = {};
      container = container[key];
    }
  });
}

/** Objects whose keys are exactly 0..n-1 become arrays (PHP lists), recursively. */
function listify(value) {
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (const key of keys) value[key] = listify(value[key]);
  const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
  return isList ? keys.map((key) => value[key]) : value;
}

function parsePhpQuery(query) {
  const root = {};
  if (typeof query !== 'string' || query === '') return root;
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    const { base, path } = splitKey(key);
    if (base === '') continue;
    assign(root, base, path, value);
  }
  for (const key of Object.keys(root)) root[key] = listify(root[key]);
  return root;
}

module.exports = { parsePhpQuery, decodeComponent };
