'use strict';
/** Printing the envelope: `-O json`, or the indented YAML-like "plain" form of the vendor's examples. */

const SYSTEM = Object.freeze({
  version: '5.3.3-fake',
  version_panel: '5.3.3',
  tier: 'FAKE',
  type: 'cPanel',
  retry_ms: 0,
  disableui: false,
  dr: false,
  agreement_panel: false,
  agreement: false,
  licenseIssue: false,
});

function envelope(success, message, data) {
  return { success: success ? 1 : 0, message, data, system: SYSTEM };
}

function plainScalar(value) {
  if (value === true) return '1';
  if (value === false || value === null || value === undefined) return '';
  return String(value);
}

function plainLines(value, indent) {
  const pad = '  '.repeat(indent);
  const lines = [];
  const entries = Array.isArray(value) ? value.map((entry, index) => [String(index), entry]) : Object.entries(value);
  for (const [key, entry] of entries) {
    if (entry !== null && typeof entry === 'object') {
      lines.push(`${pad}${key}:`);
      lines.push(...plainLines(entry, indent + 1));
    } else {
      const text = plainScalar(entry);
      lines.push(text === '' ? `${pad}${key}:` : `${pad}${key}: ${text}`);
    }
  }
  return lines;
}

function render(body, format) {
  if (format === 'plain') return `${plainLines(body, 0).join('\n')}\n`;
  return `${JSON.stringify(body)}\n`;
}

module.exports = { envelope, render };
