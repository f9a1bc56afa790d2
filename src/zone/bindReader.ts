/**
 * Reads a BIND master file as cPanel writes it (`/var/named/<zone>.db`, docs/reference/cpanel-api.md §5.4) into the
 * same Zone that cPanel's parse_zone would report for it (§5.2–5.3): records with their `line_index`,
 * comment and `$` control lines, the SOA serial.
 *
 * Syntax: RFC 1035 §5.1 (entries, parentheses, `;` comments, `@`, blank owner, escapes), RFC 2308 §4
 * (`$TTL`), BIND's TTL units and TTL defaults. Values: ldns `rdf2str` forms (see rdata.ts).
 */
import { FixEmailAuthError } from '../errors';
import { toBinaryString, excerpt } from './bytes';
import { readEntries, type Entry, type Fail, type Token } from './lexer';
import type { Zone, ZoneLineItem, ZoneRecord } from './model';
import { canonicalName, cpanelDnameOf, isUnder, parseName, zoneLabels, type Labels } from './names';
import { parseRdata, typeFromField } from './rdata';
import { CLASSES } from './rrTypes';
import { looksLikeTtl, MAX_TTL, parseTtl } from './ttl';

export interface ParseZoneFileOptions {
  /** Name used in error messages (`<file>:<line>: …`); default `<zone>.db`. */
  fileName?: string;
}

/** A record and the lines it occupies (the API cannot tell the span; the file can), with its context. */
export interface RecordSpan {
  record: ZoneRecord;
  firstLine: number;
  lastLine: number;
  /** The $ORIGIN in effect for this record (relative names in it are completed with this). */
  origin: Labels;
  /** Its owner came from the record before it (the line starts with white space, RFC 1035 §5.1). */
  inheritsOwner: boolean;
  /** Its TTL came from the record before it (none written and no $TTL in effect; BIND). */
  inheritsTtl: boolean;
}

/** What the line editor needs beyond the Zone: each record's span and where the SOA serial is written. */
export interface ZoneFileDetails {
  zone: Zone;
  spans: RecordSpan[];
  soa: RecordSpan;
  /** The SOA serial field as written (line, column, length), to bump it in place. */
  serialToken: Token;
  /** The $ORIGIN in effect at the end of the file, where adds are appended. */
  endOrigin: Labels;
}

/**
 * Parse a zone file. `text` is a Buffer or a binary string (see bytes.ts `toBinaryString`).
 * Errors: FixEmailAuthError `ZONE_PARSE` with `<file>:<line>: what is wrong` (line counted from 1).
 */
export function parseZoneFile(text: string | Buffer, zoneName: string, options: ParseZoneFileOptions = {}): Zone {
  return readZoneFileDetails(text, zoneName, options).zone;
}

export function readZoneFileDetails(text: string | Buffer, zoneName: string, options: ParseZoneFileOptions = {}): ZoneFileDetails {
  if (typeof text !== 'string' && !Buffer.isBuffer(text)) {
    throw new FixEmailAuthError('BAD_INPUT', 'A zone file must be given as a string or a Buffer', { step: 'read' });
  }
  const zone = zoneLabels(zoneName);
  const file = options.fileName ?? `${zone.name}.db`;
  const fail: Fail = (line, message) => {
    throw new FixEmailAuthError('ZONE_PARSE', `${file}:${line + 1}: ${message}`, { step: 'read' });
  };
  const reader = new ZoneFileReader(zone.labels, fail);
  for (const entry of readEntries(toBinaryString(text), fail)) reader.add(entry);
  if (!reader.soa || !reader.serialToken) {
    throw new FixEmailAuthError('ZONE_PARSE', `${file}: no SOA record (every zone starts with one, RFC 1035 §5.2)`, { step: 'read' });
  }
  const records = reader.spans.map((span) => span.record);
  return {
    zone: { name: zone.name, serial: reader.soa.record.data[2] as string, records, lines: reader.lines },
    spans: reader.spans,
    soa: reader.soa,
    serialToken: reader.serialToken,
    endOrigin: reader.origin,
  };
}

/** The state a master file carries from line to line: origin, default TTL, previous owner and TTL. */
class ZoneFileReader {
  readonly spans: RecordSpan[] = [];
  readonly lines: ZoneLineItem[] = [];
  soa: RecordSpan | undefined;
  serialToken: Token | undefined;
  origin: Labels;
  private defaultTtl: number | undefined;
  private lastTtl: number | undefined;
  private previousOwner: Labels | undefined;

  constructor(
    private readonly zone: Labels,
    private readonly fail: Fail,
  ) {
    this.origin = zone;
  }

  add(entry: Entry): void {
    if (entry.commentOnly) {
      this.lines.push({ kind: 'comment', lineIndex: entry.firstLine, text: entry.firstLineText });
      return;
    }
    const first = entry.tokens[0] as Token;
    if (!entry.blankOwner && !first.quoted && first.text.startsWith('$')) this.directive(entry);
    else this.record(entry);
  }

  private directive(entry: Entry): void {
    const [name, value, extra] = entry.tokens as [Token, Token | undefined, Token | undefined];
    const directive = name.text.toUpperCase();
    const line = entry.firstLine;
    if (directive === '$INCLUDE') this.fail(line, '$INCLUDE is not supported: a cPanel zone file must hold the whole zone');
    if (directive !== '$TTL' && directive !== '$ORIGIN') this.fail(line, `unknown directive “${excerpt(name.text)}”`);
    if (!value || value.quoted) this.fail(line, `${directive} needs a value`);
    if (extra) this.fail(extra.line, `unexpected “${excerpt(extra.text)}” after ${directive} ${excerpt(value.text)}`);
    if (directive === '$TTL') {
      const ttl = parseTtl(value.text);
      if (ttl === null || ttl > MAX_TTL)
        this.fail(line, `$TTL “${excerpt(value.text)}” is not a TTL (seconds up to ${MAX_TTL}, or units like 1h)`);
      this.defaultTtl = ttl;
    } else {
      // RFC 1035 §5.1: a relative $ORIGIN is completed with the current origin.
      this.origin = parseName(value.text, this.origin, line, this.fail);
    }
    this.lines.push({ kind: 'control', lineIndex: line, text: entry.firstLineText });
  }

  private record(entry: Entry): void {
    const tokens = entry.tokens;
    const line = entry.firstLine;
    let next = 0;
    let owner: Labels;
    if (entry.blankOwner) {
      if (!this.previousOwner) this.fail(line, 'the record starts with white space but no record before it names an owner');
      owner = this.previousOwner;
    } else {
      const ownerToken = tokens[next++] as Token;
      if (ownerToken.quoted) this.fail(line, 'an owner name cannot be a quoted string');
      owner = parseName(ownerToken.text, this.origin, line, this.fail);
    }
    this.previousOwner = owner;

    // TTL and class are both optional and may come in either order (RFC 1035 §5.1).
    let ttl: number | undefined;
    let sawClass = false;
    for (let k = 0; k < 2; k++) {
      const token = tokens[next];
      if (!token || token.quoted) break;
      const upper = token.text.toUpperCase();
      if (!sawClass && (CLASSES.has(upper) || /^CLASS[0-9]{1,5}$/.test(upper))) {
        if (upper !== 'IN' && upper !== 'CLASS1')
          this.fail(token.line, `class ${excerpt(token.text)} is not supported: cPanel zones are IN`);
        sawClass = true;
        next++;
        continue;
      }
      if (ttl === undefined && looksLikeTtl(token.text)) {
        const value = parseTtl(token.text);
        if (value === null || value > MAX_TTL)
          this.fail(token.line, `“${excerpt(token.text)}” is not a TTL (seconds up to ${MAX_TTL}, or units like 1h)`);
        ttl = value;
        next++;
        continue;
      }
      break;
    }
    const typeToken = tokens[next++];
    if (!typeToken) this.fail(line, 'the record has no type');
    if (typeToken.quoted) this.fail(typeToken.line, 'a record type cannot be a quoted string');
    const type = typeFromField(typeToken.text);
    if (!type) this.fail(typeToken.line, `unknown or unsupported record type “${excerpt(typeToken.text)}”`);

    const rdata = parseRdata(type, tokens.slice(next), { origin: this.origin, fail: this.fail, line });
    const inheritsTtl = ttl === undefined && this.defaultTtl === undefined && this.lastTtl !== undefined;
    ttl ??= this.defaultTtl ?? this.lastTtl ?? (type === 'SOA' ? Number(rdata.data[6]) : undefined);
    // BIND: without $TTL the previous record's TTL is used, and the SOA falls back to its minimum.
    if (ttl === undefined) this.fail(line, 'the record has no TTL and no $TTL line precedes it');
    if (ttl > MAX_TTL) this.fail(line, `TTL ${ttl} is more than ${MAX_TTL}`);
    this.lastTtl = ttl;

    const span: RecordSpan = {
      record: { lineIndex: line, dname: cpanelDnameOf(owner, this.zone), name: canonicalName(owner), ttl, type, data: rdata.data },
      firstLine: line,
      lastLine: entry.lastLine,
      origin: this.origin,
      inheritsOwner: entry.blankOwner,
      inheritsTtl,
    };
    if (type === 'SOA') {
      if (this.soa) this.fail(line, `a second SOA record (the first is at line ${this.soa.firstLine + 1})`);
      if (owner.length !== this.zone.length || !isUnder(owner, this.zone)) this.fail(line, 'the SOA record must be at the zone apex');
      this.soa = span;
      this.serialToken = rdata.tokens[2];
    }
    this.spans.push(span);
  }
}
