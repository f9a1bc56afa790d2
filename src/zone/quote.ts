/**
 * Writing a character-string in a master file (RFC 1035 §5.1): inside double quotes, `"` and `\`
 * escaped with a backslash, and every byte that is not printable ASCII as `\DDD`, so the line stays
 * plain ASCII whatever the bytes are.
 */
export function quoteCharacterString(binary: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < binary.length; i++) {
    const code = binary.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c) continue;
    out += binary.slice(runStart, i);
    out += code === 0x22 || code === 0x5c ? `\\${binary[i]}` : `\\${String(code).padStart(3, '0')}`;
    runStart = i + 1;
  }
  return `${out}${binary.slice(runStart)}"`;
}
