/**
 * RDATA fields of one record, read from its tokens and normalised the way ldns `rdf2str` prints
 * them, which is what cPanel's parse_zone reports (docs/reference/cpanel-api.md §5.3): names absolute with a dot,
 * numbers in decimal, addresses in inet_ntop form, TXT one item per character-string with escapes
 * decoded.
 */
import { excerpt as shorten } from './bytes';
import { formatIPv6, parseIPv4, parseIPv6 } from './ip';
import { decodeWord, type Fail, type Token } from './lexer';
import { parseName, renderName, type Labels } from './names';
import { quoteCharacterString } from './quote';
import { fieldsOf, RR_TYPE_NUMBERS, type FieldKind } from './rrTypes';
import { parseTtl } from './ttl';

/** RFC 1035 §3.3: a <character-string> is a length byte and at most 255 bytes. */
export const MAX_CHARACTER_STRING = 255;
/** RFC 1035 §3.2.1: RDLENGTH is 16 bits. */
export const MAX_RDATA = 65535;

export interface RdataContext {
  origin: Labels;
  fail: Fail;
  /** Line of the record's first line, for errors about missing fields. */
  line: number;
}

export interface ParsedRdata {
  data: string[];
  /** Token of each data item (the SOA serial's position is needed to bump it in place). */
  tokens: Token[];
}

/** The type mnemonic from a type field: `txt` → `TXT`, `TYPE16` → `TXT`, `TYPE65280` stays; null if unknown. */
export function typeFromField(text: string): string | null {
  const upper = text.toUpperCase();
  if (fieldsOf(upper)) return upper;
  const numbered = /^TYPE([0-9]{1,5})$/.exec(upper);
  if (numbered) {
    const number = Number(numbered[1]);
    if (number > 65535) return null;
    return RR_TYPE_NUMBERS[number] ?? `TYPE${number}`;
  }
  return null;
}

export function parseRdata(type: string, tokens: Token[], ctx: RdataContext): ParsedRdata {
  const fields = fieldsOf(type);
  if (tokens[0] && !tokens[0].quoted && tokens[0].text === '\\#') {
    if (fields) ctx.fail(ctx.line, `generic RDATA (\\#) for a known type ${type} is not supported; write it in its usual form`);
    return parseGeneric(type, tokens, ctx);
  }
  if (!fields) return ctx.fail(ctx.line, `type ${type} needs its RDATA in the generic form “\\# length hex” (RFC 3597)`);

  const data: string[] = [];
  const used: Token[] = [];
  let wire = 0;
  let next = 0;
  const need = (kind: FieldKind): Token => {
    const token = tokens[next++];
    if (!token)
      return ctx.fail(ctx.line, `a ${type} record needs ${fields.length} RDATA field(s) (${fields.join(', ')}); ${kind} is missing`);
    return token;
  };
  const bare = (token: Token, what: string): string => {
    if (token.quoted) ctx.fail(token.line, `${type} ${what} cannot be a quoted string`);
    return token.text;
  };
  const push = (token: Token, value: string) => {
    data.push(value);
    used.push(token);
  };

  for (const kind of fields) {
    switch (kind) {
      case 'name': {
        const token = need(kind);
        const labels = parseName(bare(token, 'domain name'), ctx.origin, token.line, ctx.fail);
        wire += labels.reduce((n, l) => n + l.length + 1, 1);
        push(token, renderName(labels));
        break;
      }
      case 'u8':
      case 'u16':
      case 'u32': {
        const token = need(kind);
        const max = kind === 'u8' ? 0xff : kind === 'u16' ? 0xffff : 0xffffffff;
        const text = bare(token, 'number');
        if (!/^[0-9]{1,10}$/.test(text) || Number(text) > max)
          ctx.fail(token.line, `${type}: “${shorten(text)}” is not a number from 0 to ${max}`);
        wire += kind === 'u8' ? 1 : kind === 'u16' ? 2 : 4;
        push(token, String(Number(text)));
        break;
      }
      case 'period': {
        const token = need(kind);
        const seconds = parseTtl(bare(token, 'time value'));
        if (seconds === null) ctx.fail(token.line, `${type}: “${shorten(token.text)}” is not a time value (seconds, or units like 1h)`);
        wire += 4;
        push(token, String(seconds));
        break;
      }
      case 'ipv4': {
        const token = need(kind);
        const bytes = parseIPv4(bare(token, 'address'));
        if (!bytes) ctx.fail(token.line, `A: “${shorten(token.text)}” is not an IPv4 address`);
        wire += 4;
        push(token, bytes.join('.'));
        break;
      }
      case 'ipv6': {
        const token = need(kind);
        const words = parseIPv6(bare(token, 'address'));
        if (!words) ctx.fail(token.line, `AAAA: “${shorten(token.text)}” is not an IPv6 address`);
        wire += 16;
        push(token, formatIPv6(words));
        break;
      }
      case 'string': {
        const token = need(kind);
        const value = characterString(token, type, ctx.fail);
        wire += 1 + value.length;
        push(token, value);
        break;
      }
      case 'strings': {
        need(kind);
        next--;
        for (; next < tokens.length; next++) {
          const token = tokens[next] as Token;
          const value = characterString(token, type, ctx.fail);
          wire += 1 + value.length;
          if (wire > MAX_RDATA) ctx.fail(ctx.line, `${type} RDATA is longer than ${MAX_RDATA} bytes`);
          push(token, value);
        }
        break;
      }
      case 'word': {
        const token = need(kind);
        const text = bare(token, 'tag');
        if (!/^[A-Za-z0-9]{1,15}$/.test(text))
          ctx.fail(token.line, `${type}: tag “${shorten(text)}” must be 1–15 letters or digits (RFC 8659 §4.1.1)`);
        wire += 1 + text.length;
        push(token, text);
        break;
      }
      case 'longString': {
        const token = need(kind);
        const value = decodeWord(token, ctx.fail);
        wire += value.length;
        push(token, value);
        break;
      }
      case 'hex': {
        const first = need(kind);
        let hex = '';
        for (next--; next < tokens.length; next++) {
          const token = tokens[next] as Token;
          hex += bare(token, 'hexadecimal data');
          if (hex.length > 2 * MAX_RDATA) ctx.fail(ctx.line, `${type} RDATA is longer than ${MAX_RDATA} bytes`);
        }
        if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) ctx.fail(first.line, `${type}: the data must be hexadecimal digits in pairs`);
        wire += hex.length / 2;
        push(first, hex.toUpperCase());
        break;
      }
      case 'rest': {
        const first = need(kind);
        const words: string[] = [];
        for (next--; next < tokens.length; next++) words.push(bare(tokens[next] as Token, 'field'));
        const value = words.join(' ');
        wire += value.length;
        push(first, value);
        break;
      }
      case 'words': {
        // SvcParams like alpn="h2,h3" arrive as a word and an adjacent quoted string: join them back.
        let item = '';
        let itemToken: Token | undefined;
        let previous: Token | undefined;
        for (; next < tokens.length; next++) {
          const token = tokens[next] as Token;
          const written = token.quoted ? quoteCharacterString(token.text) : token.text;
          const adjacent = previous !== undefined && previous.line === token.line && previous.column + previous.length === token.column;
          if (adjacent) item += written;
          else {
            if (itemToken) push(itemToken, item);
            item = written;
            itemToken = token;
          }
          previous = token;
          wire += written.length;
        }
        if (itemToken) push(itemToken, item);
        break;
      }
    }
    if (wire > MAX_RDATA) ctx.fail(ctx.line, `${type} RDATA is longer than ${MAX_RDATA} bytes`);
  }
  const extra = tokens[next];
  if (extra) ctx.fail(extra.line, `unexpected “${shorten(extra.text)}” after the RDATA of a ${type} record`);
  return { data, tokens: used };
}

function characterString(token: Token, type: string, fail: Fail): string {
  const value = decodeWord(token, fail);
  if (value.length > MAX_CHARACTER_STRING) {
    fail(
      token.line,
      `${type}: a character-string is ${value.length} bytes; at most ${MAX_CHARACTER_STRING} are allowed (split it into several quoted strings)`,
    );
  }
  return value;
}

/** RFC 3597 §5 generic RDATA: `\# <length> <hex…>`, reported as one item `\# N HEX` (ldns form). */
function parseGeneric(type: string, tokens: Token[], ctx: RdataContext): ParsedRdata {
  const lengthToken = tokens[1];
  if (!lengthToken || lengthToken.quoted || !/^[0-9]{1,5}$/.test(lengthToken.text) || Number(lengthToken.text) > MAX_RDATA) {
    return ctx.fail(ctx.line, `${type}: generic RDATA needs a length from 0 to ${MAX_RDATA} after \\#`);
  }
  const length = Number(lengthToken.text);
  let hex = '';
  for (let i = 2; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.quoted) ctx.fail(token.line, `${type}: generic RDATA must be hexadecimal`);
    hex += token.text;
    if (hex.length > 2 * MAX_RDATA) ctx.fail(ctx.line, `${type} RDATA is longer than ${MAX_RDATA} bytes`);
  }
  if (!/^[0-9A-Fa-f]*$/.test(hex) || hex.length !== 2 * length)
    ctx.fail(ctx.line, `${type}: generic RDATA says ${length} bytes but has ${hex.length / 2}`);
  const value = length === 0 ? '\\# 0' : `\\# ${length} ${hex.toUpperCase()}`;
  return { data: [value], tokens: [tokens[0] as Token] };
}
