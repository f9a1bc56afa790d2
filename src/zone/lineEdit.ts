/**
 * The pure heart of cPanel's `mass_edit_zone` / `mass_edit_dns_zone` (docs/reference/cpanel-api.md §6.3; v120
 * Cpanel/ZoneFile/LineEdit.pm), used by the cPanel simulator: apply adds, edits and removes to the
 * zone file's text so that every surviving record keeps its `line_index`.
 *
 * - A removed record leaves blank lines; an edited record becomes one line plus blank padding.
 * - Adds are appended at the end of the file.
 * - The SOA serial is bumped (serial.ts); when the SOA itself is not edited only its serial field
 *   is rewritten, in place, so the SOA keeps its lines and comments.
 * - Line checks and SOA/NS rules answer with cPanel's exact texts (cpanelMessages.ts).
 * - Zones written by hand: under a $ORIGIN other than the zone, written names are absolute
 *   (placement.ts); a record that borrowed its owner or TTL from a changed neighbour is written out
 *   explicitly so it keeps its value (settleBorrowers). cPanel's own files need neither.
 *
 * Not here (the simulator does them first, in cPanel's order §10.4): item shapes, TTL digits, known
 * types, printable ASCII, feature gating, and the Stale serial check.
 */
import { isDeepStrictEqual } from 'util';
import { FixEmailAuthError, isFixEmailAuthError } from '../errors';
import { isBinaryString } from './bytes';
import { parseZoneFile, readZoneFileDetails, type RecordSpan } from './bindReader';
import { lineEditMessages as messages } from './cpanelMessages';
import type { MassEditAdd, MassEditEdit, Zone, ZoneRecord } from './model';
import { zoneLabels, type Labels } from './names';
import { placeRecord } from './placement';
import { renderRecordLine, type RenderableRecord } from './render';
import { nextSerial } from './serial';

/** A refusal of mass_edit_zone; `message` is cPanel's exact text. */
export class LineEditError extends FixEmailAuthError {
  /** cPanel's typed error payload (`data.type`) when it has one (§6.4). */
  readonly cpanelType?: 'InvalidZoneFile';

  constructor(message: string, options: { cpanelType?: 'InvalidZoneFile'; cause?: unknown } = {}) {
    super(options.cpanelType === 'InvalidZoneFile' ? 'INVALID_ZONE' : 'BAD_INPUT', message, { step: 'apply', cause: options.cause });
    this.name = 'LineEditError';
    if (options.cpanelType) this.cpanelType = options.cpanelType;
  }
}

export interface MassEditChange {
  add: MassEditAdd[];
  edit: MassEditEdit[];
  remove: number[];
}

export interface MassEditOptions {
  now: Date;
  /** IANA time zone for "today" in the serial (cPanel uses the server's; default UTC). */
  timeZone?: string;
}

export interface MassEditOutcome {
  /** The new zone file, a binary string ending with a line break. */
  text: string;
  newSerial: string;
}

/**
 * Apply one mass_edit to `text` (the zone file as a binary string: latin1, one char per byte).
 * Throws LineEditError with cPanel's text for line and SOA/NS problems; ZONE_PARSE when `text`
 * itself does not parse.
 */
export function applyMassEdit(text: string, zoneName: string, change: MassEditChange, opts: MassEditOptions): MassEditOutcome {
  if (typeof text !== 'string' || !isBinaryString(text)) {
    throw new FixEmailAuthError('BAD_INPUT', 'applyMassEdit needs the zone file as a binary string (latin1, one char per byte)', {
      step: 'apply',
    });
  }
  const { name: zone, labels: zoneNameLabels } = zoneLabels(zoneName);
  const details = readZoneFileDetails(text, zoneName);
  const oldSerial = details.zone.serial;

  const { edits, removes } = claimLines(details.spans, change, zone);
  checkSoaAndNsRules(edits, removes, change.add, details.spans, oldSerial);
  const newSerial = bumpSerial(oldSerial, opts);
  const withNewSerial = (data: string[]) => data.map((item, i) => (i === 2 ? newSerial : item));
  const write = (record: RenderableRecord, origin: Labels) => renderOrRefuse(record, zoneNameLabels, origin, zone);

  const lines = splitLines(text);
  const soaEdit = edits.find(({ span }) => span === details.soa);
  if (!soaEdit) {
    const { line, column, length } = details.serialToken;
    const current = lines[line] as string;
    lines[line] = `${current.slice(0, column)}${newSerial}${current.slice(column + length)}`;
  }
  for (const span of removes) blank(lines, span.firstLine, span.lastLine);
  for (const { edit, span } of edits) {
    const data = span === details.soa ? withNewSerial(edit.data) : edit.data;
    lines[span.firstLine] = write({ dname: edit.dname, ttl: edit.ttl, type: edit.record_type, data }, span.origin);
    blank(lines, span.firstLine + 1, span.lastLine);
  }
  for (const add of change.add)
    lines.push(write({ dname: add.dname, ttl: add.ttl, type: add.record_type, data: add.data }, details.endOrigin));

  const changed = new Set([...removes, ...edits.map((e) => e.span)]);
  const expected = (span: RecordSpan): ZoneRecord =>
    span === details.soa ? { ...span.record, data: withNewSerial(span.record.data) } : span.record;
  const settled = settleBorrowers(lines, zone, details.spans, changed, expected, (span) => {
    const record = expected(span);
    return write({ dname: record.dname, ttl: record.ttl, type: record.type, data: record.data }, span.origin);
  });
  return { text: settled.text, newSerial };
}

/**
 * A record that took its owner or TTL from the record before it (blank owner; no TTL and no $TTL)
 * would silently change if that record was edited or removed. Such a record keeps its line_index and
 * its value: it is written out explicitly (one line plus padding), like an edit of itself. Writing it
 * restores the owner/TTL state for the records after it, so only records right after a changed one
 * are rewritten and the rest of a chain keeps its bytes. Returns the validated text.
 */
function settleBorrowers(
  lines: string[],
  zone: string,
  spans: RecordSpan[],
  changed: Set<RecordSpan>,
  expected: (span: RecordSpan) => ZoneRecord,
  rewrite: (span: RecordSpan) => string,
): { text: string; zone: Zone } {
  const untouched = spans.filter((span) => !changed.has(span));
  const previous = new Map(spans.map((span, i) => [span, spans[i - 1]]));
  for (let pass = 0; ; pass++) {
    const text = `${lines.join('\n')}\n`;
    const result = parseResult(text, zone);
    const byLine = new Map(result.records.map((record) => [record.lineIndex, record]));
    const drifted = untouched.filter((span) => !isDeepStrictEqual(byLine.get(span.firstLine), expected(span)));
    if (drifted.length === 0) {
      requireApexNs(result, zone);
      return { text, zone: result };
    }
    if (pass >= 3) {
      throw new LineEditError(messages.invalidResult(zone, `the record at line ${(drifted[0] as RecordSpan).firstLine} would change`), {
        cpanelType: 'InvalidZoneFile',
      });
    }
    const direct = drifted.filter((span) => {
      const before = previous.get(span);
      return before !== undefined && changed.has(before);
    });
    for (const span of direct.length > 0 ? direct : drifted) {
      changed.add(span);
      lines[span.firstLine] = rewrite(span);
      blank(lines, span.firstLine + 1, span.lastLine);
    }
  }
}

interface ClaimedEdit {
  edit: MassEditEdit;
  span: RecordSpan;
}

/** §6.5 line checks: each line_index must start a record, and be named once across edits and removes. */
function claimLines(spans: RecordSpan[], change: MassEditChange, zone: string): { edits: ClaimedEdit[]; removes: RecordSpan[] } {
  const byFirstLine = new Map(spans.map((span) => [span.firstLine, span]));
  const claimed = new Set<number>();
  const claim = (line: number): RecordSpan => {
    const span = Number.isSafeInteger(line) ? byFirstLine.get(line) : undefined;
    if (!span) throw new LineEditError(messages.noRecordAtLine(line, zone));
    if (claimed.has(line)) throw new LineEditError(messages.multipleEdits(line));
    claimed.add(line);
    return span;
  };
  const edits = change.edit.map((edit) => ({ edit, span: claim(edit.line_index) }));
  const removes = change.remove.map(claim);
  return { edits, removes };
}

/**
 * One SOA, never removed, its type, name and serial never changed by hand (§6.3), and at least one of
 * the zone's NS lines kept: cPanel counts the lines that are not removed by their type before the
 * edit (Cpanel/ZoneFile/LineEdit.pm `add`, `edit`, `remove`, `build`).
 */
function checkSoaAndNsRules(
  edits: ClaimedEdit[],
  removes: RecordSpan[],
  adds: MassEditAdd[],
  spans: RecordSpan[],
  oldSerial: string,
): void {
  for (const add of adds) if (String(add.record_type).toUpperCase() === 'SOA') throw new LineEditError(messages.secondSoa());
  for (const { edit, span } of edits) {
    const newType = String(edit.record_type).toUpperCase();
    if (span.record.type === 'SOA') {
      if (newType !== 'SOA') throw new LineEditError(messages.soaTypeChanged());
      if (stripFinalDot(edit.dname) !== stripFinalDot(span.record.dname)) throw new LineEditError(messages.soaNameChanged());
      if (edit.data[2] !== oldSerial) throw new LineEditError(messages.soaSerialChanged(oldSerial));
    } else if (newType === 'SOA') throw new LineEditError(messages.secondSoa());
  }
  for (const span of removes) if (span.record.type === 'SOA') throw new LineEditError(messages.removeSoa());
  const removed = new Set(removes);
  if (!spans.some((span) => span.record.type === 'NS' && !removed.has(span))) throw new LineEditError(messages.noNameServers());
}

function stripFinalDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function bumpSerial(oldSerial: string, opts: MassEditOptions): string {
  try {
    return nextSerial(oldSerial, opts.now, opts.timeZone);
  } catch (err) {
    if (isFixEmailAuthError(err, 'INVALID_ZONE')) throw new LineEditError(err.message, { cpanelType: 'InvalidZoneFile', cause: err });
    throw err;
  }
}

/** The file's lines without their line breaks; a final line break does not start another line. */
function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}

function blank(lines: string[], from: number, to: number): void {
  for (let i = from; i <= to; i++) lines[i] = '';
}

function renderOrRefuse(record: RenderableRecord, zoneNameLabels: Labels, origin: Labels, zone: string): string {
  try {
    return renderRecordLine(placeRecord(record, zoneNameLabels, origin), zone);
  } catch (err) {
    // A value that cannot be written would make the zone unreadable: cPanel's InvalidZoneFile.
    const detail = err instanceof Error ? err.message : String(err);
    throw new LineEditError(messages.invalidResult(zone, detail), { cpanelType: 'InvalidZoneFile', cause: err });
  }
}

/** cPanel checks the built zone before saving (§6.3): it must parse … */
function parseResult(newText: string, zone: string): Zone {
  try {
    return parseZoneFile(newText, zone);
  } catch (err) {
    if (isFixEmailAuthError(err, 'ZONE_PARSE'))
      throw new LineEditError(messages.invalidResult(zone, err.message), { cpanelType: 'InvalidZoneFile', cause: err });
    throw err;
  }
}

/** … and keep an NS record at the apex (named-checkzone refuses a zone without one). */
function requireApexNs(result: Zone, zone: string): void {
  const apex = `${zone}.`;
  if (!result.records.some((record) => record.type === 'NS' && record.name === apex)) {
    throw new LineEditError(messages.noApexNameServers(zone), { cpanelType: 'InvalidZoneFile' });
  }
}
