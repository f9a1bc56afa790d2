/**
 * The lexical layer of RFC 1035 §5.1 master files, as BIND and ldns read them: entries that end
 * at a line break outside parentheses, `;` comments, quoted strings with `\X` / `\DDD` escapes, and a
 * line that starts with white space meaning "same owner as before".
 *
 * One pass over the text, no regular expressions and no recursion, so hostile input (10 MB lines,
 * thousands of `(`, random bytes) costs linear time and constant stack.
 */

/** Raised with the 0-based line where the problem is; the reader adds the file name. */
export type Fail = (line: number, message: string) => never;

export interface Token {
  /** Unquoted: the text as written, escapes kept (names need them). Quoted: the content, escapes decoded. */
  text: string;
  quoted: boolean;
  /** 0-based line where the token starts. */
  line: number;
  /** Offset of the token's first char from the start of its line. */
  column: number;
  /** Length of the token as written (quotes included). */
  length: number;
}

export interface Entry {
  /** 0-based first line: cPanel's `line_index`. */
  firstLine: number;
  /** 0-based last line the entry occupies (continuation lines of a parenthesised record). */
  lastLine: number;
  /** The first line began with white space: the owner is the previous one (RFC 1035 §5.1). */
  blankOwner: boolean;
  tokens: Token[];
  /** Comment and `$` directive entries: the first line without its line break (and final CR); else ''. */
  firstLineText: string;
  /** The entry is one line holding nothing but a comment. */
  commentOnly: boolean;
}

/**
 * No valid entry has more fields than this: every RDATA field takes at least one byte of the at most
 * 65535 (RFC 1035 §3.2.1), plus owner, TTL, class and type. Stopping here bounds memory on a 10 MB
 * line of `a a a …`.
 */
export const MAX_TOKENS_PER_ENTRY = 65535 + 8;

/** No quoted string can be longer than a whole RDATA (a CAA value is the longest kind), so stop reading there. */
export const MAX_QUOTED_BYTES = 65535;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;
const OPEN = 0x28;
const CLOSE = 0x29;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB || code === CR;
}

/** Split a master file (binary string) into entries, skipping blank lines. */
export function* readEntries(src: string, fail: Fail): Generator<Entry> {
  const length = src.length;
  let pos = 0;
  let line = 0;
  let lineStart = 0;

  while (pos < length) {
    const firstLine = line;
    const entryStart = pos;
    const blankOwner = src.charCodeAt(pos) === SPACE || src.charCodeAt(pos) === TAB;
    const tokens: Token[] = [];
    let depth = 0;
    let openedAt = 0;
    let sawParen = false;
    let sawComment = false;
    let endedByNewline = false;

    while (pos < length) {
      const code = src.charCodeAt(pos);
      if (code === LF) {
        pos++;
        line++;
        lineStart = pos;
        if (depth === 0) {
          endedByNewline = true;
          break;
        }
        continue;
      }
      if (isBlank(code)) {
        pos++;
        continue;
      }
      if (code === SEMICOLON) {
        sawComment = true;
        const eol = src.indexOf('\n', pos);
        pos = eol === -1 ? length : eol;
        continue;
      }
      if (code === OPEN) {
        if (depth === 0) openedAt = line;
        depth++;
        sawParen = true;
        pos++;
        continue;
      }
      if (code === CLOSE) {
        if (depth === 0) fail(line, 'unbalanced parentheses: “)” without “(”');
        depth--;
        pos++;
        continue;
      }
      if (tokens.length >= MAX_TOKENS_PER_ENTRY) {
        fail(firstLine, `too many fields in one record (more than ${MAX_TOKENS_PER_ENTRY}; RDATA is limited to 65535 bytes)`);
      }
      const tokenLine = line;
      const column = pos - lineStart;
      const start = pos;
      if (code === QUOTE) {
        // Quoted string: decode escapes here; the quotes are not part of the value.
        const parts: string[] = [];
        pos++;
        let runStart = pos;
        let decoded = 0;
        for (;;) {
          if (pos >= length) fail(tokenLine, 'unbalanced quotes: the string never ends');
          if (++decoded > MAX_QUOTED_BYTES) fail(tokenLine, `a quoted string is longer than ${MAX_QUOTED_BYTES} bytes`);
          const c = src.charCodeAt(pos);
          if (c === QUOTE) break;
          if (c === LF) fail(tokenLine, 'unbalanced quotes: the string ends at the line break');
          if (c === BACKSLASH) {
            parts.push(src.slice(runStart, pos));
            const escaped = decodeEscape(src, pos, tokenLine, fail);
            if (src.charCodeAt(pos + 1) === LF) {
              line++;
              lineStart = pos + 2;
            }
            parts.push(escaped.value);
            pos = escaped.next;
            runStart = pos;
            continue;
          }
          pos++;
        }
        parts.push(src.slice(runStart, pos));
        pos++; // closing quote
        tokens.push({ text: parts.join(''), quoted: true, line: tokenLine, column, length: pos - start });
        continue;
      }
      // Unquoted word: runs to white space, a line break, `;`, a parenthesis or a quote; `\` protects
      // the next char (kept as written: names decode their own escapes label by label).
      while (pos < length) {
        const c = src.charCodeAt(pos);
        if (c === BACKSLASH) {
          if (pos + 1 >= length) fail(tokenLine, 'a backslash ends the file');
          if (src.charCodeAt(pos + 1) === LF) {
            line++;
            lineStart = pos + 2;
          }
          pos += 2;
          continue;
        }
        if (c === LF || isBlank(c) || c === SEMICOLON || c === OPEN || c === CLOSE || c === QUOTE) break;
        pos++;
      }
      tokens.push({ text: src.slice(start, pos), quoted: false, line: tokenLine, column, length: pos - start });
    }

    if (depth > 0) fail(openedAt, 'unbalanced parentheses: “(” is never closed');
    const lastLine = endedByNewline ? line - 1 : line;
    if (tokens.length === 0 && !sawComment) continue; // blank line (it still counts for line_index)
    if (tokens.length === 0 && (sawParen || lastLine !== firstLine)) continue; // only parentheses and comments
    const first = tokens[0];
    const isDirective = first !== undefined && !blankOwner && !first.quoted && first.text.startsWith('$');
    // Only comment and control items report their text; records skip the copy of a (maybe 10 MB) line.
    const firstLineText = tokens.length === 0 || isDirective ? lineText(src, entryStart) : '';
    yield { firstLine, lastLine, blankOwner, tokens, firstLineText, commentOnly: tokens.length === 0 };
  }
}

function lineText(src: string, start: number): string {
  const eol = src.indexOf('\n', start);
  const text = src.slice(start, eol === -1 ? src.length : eol);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Decode one escape at `pos` (which holds the backslash): `\DDD` is a byte in decimal, `\X` is X
 * (RFC 1035 §5.1). `\` followed by a digit needs exactly three digits, as BIND and ldns require.
 */
export function decodeEscape(src: string, pos: number, line: number, fail: Fail): { value: string; next: number } {
  if (pos + 1 >= src.length) fail(line, 'a backslash ends the text');
  const first = src.charCodeAt(pos + 1);
  if (first >= 0x30 && first <= 0x39) {
    const d2 = src.charCodeAt(pos + 2);
    const d3 = src.charCodeAt(pos + 3);
    if (!(d2 >= 0x30 && d2 <= 0x39 && d3 >= 0x30 && d3 <= 0x39))
      fail(line, 'bad escape: “\\” and a digit must be followed by exactly three digits (\\DDD)');
    const value = (first - 0x30) * 100 + (d2 - 0x30) * 10 + (d3 - 0x30);
    if (value > 255) fail(line, `bad escape: \\${src.slice(pos + 1, pos + 4)} is more than 255`);
    return { value: String.fromCharCode(value), next: pos + 4 };
  }
  return { value: src[pos + 1] as string, next: pos + 2 };
}

/** Decode the escapes of an unquoted word used as a character-string (TXT words, CAA values). */
export function decodeWord(token: Token, fail: Fail): string {
  if (token.quoted || !token.text.includes('\\')) return token.text;
  const parts: string[] = [];
  const text = token.text;
  let runStart = 0;
  let pos = 0;
  while (pos < text.length) {
    if (text.charCodeAt(pos) === BACKSLASH) {
      parts.push(text.slice(runStart, pos));
      const escaped = decodeEscape(text, pos, token.line, fail);
      parts.push(escaped.value);
      pos = escaped.next;
      runStart = pos;
    } else pos++;
  }
  parts.push(text.slice(runStart));
  return parts.join('');
}
