/**
 * One zone-file line for a record, the way cPanel writes an added or edited record (docs/reference/cpanel-api.md
 * §5.5, §6.3): `dname<TAB>ttl<TAB>IN<TAB>TYPE<TAB>rdata`, fields tab-separated, TXT character-strings
 * each in double quotes separated by a space. The dname is written as given (relative stays relative,
 * an absolute name keeps its dot), exactly as mass_edit_zone does.
 *
 * Whatever the caller passes, the line must stay one well-formed entry: a value that would open a
 * comment, a parenthesis, a quote or a new line is refused (UNSAFE_VALUE), never written.
 */
import { FixEmailAuthError } from '../errors';
import { excerpt, isBinaryString } from './bytes';
import { normalizeDomain } from './model';
import { quoteCharacterString } from './quote';
import { fieldsOf, type FieldKind } from './rrTypes';
import { MAX_TTL } from './ttl';

export interface RenderableRecord {
  dname: string;
  ttl: number;
  type: string;
  data: string[];
}

/** Kinds written inside double quotes (their data items are raw bytes, escapes decoded). */
const QUOTED: ReadonlySet<FieldKind> = new Set<FieldKind>(['string', 'strings', 'longString']);

/** Printable ASCII without white space and without the characters that end or group a field. */
function isBareField(text: string, allowSpace: boolean, allowQuotes: boolean): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 ? !allowSpace : code < 0x21 || code > 0x7e) return false;
    if (code === 0x3b || code === 0x28 || code === 0x29) return false;
    if (code === 0x22 && !allowQuotes) return false;
  }
  return true;
}

export function renderRecordLine(rec: RenderableRecord, zoneName: string): string {
  const type = typeof rec.type === 'string' ? rec.type.toUpperCase() : '';
  const refuse = (why: string): never => {
    throw new FixEmailAuthError(
      'UNSAFE_VALUE',
      `Cannot write a ${excerpt(type) || 'record'} record in the “${normalizeDomain(String(zoneName))}” zone: ${why}`,
      { step: 'apply' },
    );
  };
  if (typeof rec.dname !== 'string' || !isBareField(rec.dname, false, false) || rec.dname.startsWith('$')) {
    refuse(`the name “${excerpt(String(rec.dname))}” cannot be written in a zone file`);
  }
  if (!Number.isSafeInteger(rec.ttl) || rec.ttl < 0 || rec.ttl > MAX_TTL)
    refuse(`TTL ${String(rec.ttl)} is not an integer from 0 to ${MAX_TTL}`);
  if (!Array.isArray(rec.data) || rec.data.some((item) => typeof item !== 'string' || !isBinaryString(item))) {
    refuse('data must be an array of byte strings');
  }
  return `${rec.dname}\t${rec.ttl}\tIN\t${type}\t${renderRdata(type, rec.data, refuse)}`;
}

function renderRdata(type: string, data: string[], refuse: (why: string) => never): string {
  const fields = fieldsOf(type);
  if (!fields) {
    // RFC 3597 generic form, as the reader reports unknown TYPEnnn records.
    if (!/^TYPE[0-9]{1,5}$/.test(type) || data.length !== 1 || !/^\\# (?:0|[1-9][0-9]{0,4} [0-9A-Fa-f]+)$/.test(data[0] as string)) {
      refuse(`unknown record type (generic records need one item “\\# length HEX”)`);
    }
    return data[0] as string;
  }
  const out: string[] = [];
  let index = 0;
  for (const kind of fields) {
    if (kind === 'strings' || kind === 'words') {
      const rest = data.slice(index);
      if (kind === 'strings' && rest.length === 0) refuse('a TXT record needs at least one character-string');
      if (kind === 'strings') {
        for (const item of rest) if (item.length > 255) refuse(`a character-string is ${item.length} bytes; at most 255 are allowed`);
        out.push(rest.map(quoteCharacterString).join(' '));
      } else {
        for (const item of rest)
          if (!isBareField(item, false, true) || countQuotes(item) % 2 !== 0) refuse(`“${excerpt(item)}” cannot be written as a parameter`);
        if (rest.length > 0) out.push(rest.join(' '));
      }
      index = data.length;
      break;
    }
    const item = data[index++];
    if (item === undefined) refuse(`a ${type} record needs ${fields.length} data items, got ${data.length}`);
    if (QUOTED.has(kind)) {
      if (kind === 'string' && item.length > 255) refuse(`a character-string is ${item.length} bytes; at most 255 are allowed`);
      out.push(quoteCharacterString(item));
    } else {
      if (!isBareField(item, kind === 'rest', false)) refuse(`“${excerpt(item)}” cannot be written as a ${type} field`);
      out.push(item);
    }
  }
  if (index < data.length) refuse(`a ${type} record has ${fields.length} data items, got ${data.length}`);
  return out.join('\t');
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x22 && text.charCodeAt(i - 1) !== 0x5c) count++;
  return count;
}
