/**
 * The pure heart of cPanel's `mass_edit_zone` / `mass_edit_dns_zone` (cpanel-api.md §6.3; v120
 * Cpanel/ZoneFile/LineEdit.pm), used by the cPanel simulator: apply adds, edits and removes to the
 * zone file's text so that every surviving record keeps its `line_index`.
 *
 * - A removed record leaves blank lines; an edited record becomes one line plus blank padding.
 * - Adds are appended at the end of the file.
 * - The SOA serial is bumped (serial.ts); when the SOA itself is not edited only its serial field
 *   is rewritten, in place, so the SOA keeps its lines and comments.
 * - Line checks and SOA/NS rules answer with cPanel's exact texts (cpanelMessages.ts).
 *
 * Not here (the simulator does them first, in cPanel's order §10.4): item shapes, TTL digits, known
 * types, printable ASCII, feature gating, and the Stale serial check.
 */
import { FixEmailAuthError, isFixEmailAuthError } from '../errors';
import { isBinaryString } from './bytes';
import { parseZoneFile, readZoneFileDetails, type RecordSpan } from './bindReader';
import { lineEditMessages as messages } from './cpanelMessages';
import type { MassEditAdd, MassEditEdit, Zone } from './model';
import { zoneLabels } from './names';
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
    throw new FixEmailAuthError('BAD_INPUT', 'applyMassEdit needs the zone file as a binary string (latin1, one char per byte)', { step: 'apply' });
  }
  const zone = zoneLabels(zoneName).name;
  const details = readZoneFileDetails(text, zoneName);
  const oldSerial = details.zone.serial;

  const { edits, removes } = claimLines(details.spans, change, zone);
  checkSoaRules(edits, removes, change.add, oldSerial, zone);
  const newSerial = bumpSerial(oldSerial, opts);

  const lines = splitLines(text);
  const soaEdit = edits.find(({ span }) => span === details.soa);
  if (!soaEdit) {
    const { line, column, length } = details.serialToken;
    const current = lines[line] as string;
    lines[line] = `${current.slice(0, column)}${newSerial}${current.slice(column + length)}`;
  }
  for (const span of removes) blank(lines, span.firstLine, span.lastLine);
  for (const { edit, span } of edits) {
    const data = span === details.soa ? edit.data.map((item, i) => (i === 2 ? newSerial : item)) : edit.data;
    lines[span.firstLine] = renderOrRefuse({ dname: edit.dname, ttl: edit.ttl, type: edit.record_type, data }, zone);
    blank(lines, span.firstLine + 1, span.lastLine);
  }
  for (const add of change.add) lines.push(renderOrRefuse({ dname: add.dname, ttl: add.ttl, type: add.record_type, data: add.data }, zone));
  const newText = `${lines.join('\n')}\n`;

  validateResult(newText, zoneName, zone);
  return { text: newText, newSerial };
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

/** One SOA, never removed, its serial only changed by the bump (§6.3). */
function checkSoaRules(edits: ClaimedEdit[], removes: RecordSpan[], adds: MassEditAdd[], oldSerial: string, zone: string): void {
  for (const span of removes) if (span.record.type === 'SOA') throw new LineEditError(messages.removeSoa(span.firstLine, zone));
  for (const { edit, span } of edits) {
    const newType = String(edit.record_type).toUpperCase();
    if (span.record.type === 'SOA') {
      if (newType !== 'SOA') throw new LineEditError(messages.removeSoa(span.firstLine, zone));
      if (edit.data[2] !== oldSerial) throw new LineEditError(messages.soaSerialChanged(oldSerial));
    } else if (newType === 'SOA') throw new LineEditError(messages.secondSoa(zone));
  }
  for (const add of adds) if (String(add.record_type).toUpperCase() === 'SOA') throw new LineEditError(messages.secondSoa(zone));
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

function renderOrRefuse(record: RenderableRecord, zone: string): string {
  try {
    return renderRecordLine(record, zone);
  } catch (err) {
    // A value that cannot be written would make the zone unreadable: cPanel's InvalidZoneFile.
    const detail = err instanceof Error ? err.message : String(err);
    throw new LineEditError(messages.invalidResult(zone, detail), { cpanelType: 'InvalidZoneFile', cause: err });
  }
}

/** cPanel checks the built zone before saving (§6.3): it must parse and keep an NS at the apex. */
function validateResult(newText: string, zoneName: string, zone: string): Zone {
  let result: Zone;
  try {
    result = parseZoneFile(newText, zoneName);
  } catch (err) {
    if (isFixEmailAuthError(err, 'ZONE_PARSE')) throw new LineEditError(messages.invalidResult(zone, err.message), { cpanelType: 'InvalidZoneFile', cause: err });
    throw err;
  }
  const apex = `${zone}.`;
  if (!result.records.some((record) => record.type === 'NS' && record.name === apex)) {
    throw new LineEditError(messages.noNameServers(zone), { cpanelType: 'InvalidZoneFile' });
  }
  return result;
}
