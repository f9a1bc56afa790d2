/**
 * `mass_edit_zone` / `mass_edit_dns_zone` (docs/reference/cpanel-api.md §6), one pipeline for both APIs, in v120's
 * validation order (§10.4):
 *   0. required args (the UAPI feature check runs before, in uapi/dns.ts)
 *   1. zone ownership / existence
 *   2. at least one change
 *   3. each add/edit is a JSON object
 *   4. each remove is a nonnegative integer
 *   5. item shapes, TTL, known types
 *   6. type authorization for the caller
 *   7. serial check → Stale
 *   8. line checks and the edit itself (zone/lineEdit.ts applyMassEdit)
 *   9. zone validity → InvalidZoneFile; write, reload, return new_serial
 * Validation before the serial check matters to clients: a malformed request with an old serial
 * gets a validation error, not Stale (§9.7).
 */
import { readZoneFileDetails } from '../zone/bindReader';
import { applyMassEdit, LineEditError, type MassEditChange } from '../zone/lineEdit';
import type { MassEditAdd, MassEditEdit, Zone } from '../zone/model';
import { requireArg, type SimContext } from './context';
import { SimApiError, type TypedErrorData } from './envelopes';
import { messages } from './messages';
import { assertSerialCurrent } from './serialCheck';
import type { RequestParams } from './params';
import { creatableTypes, KNOWN_TYPES, mayEditOrRemove, type EditAuthority } from './recordTypes';
import { zoneProblems, type ZoneProblem } from './zoneValidity';
import { loadZone } from './zoneAccess';

export interface MassEditPolicy {
  authority: EditAuthority;
  /** Step 1: may this caller edit the zone (and does it exist)? */
  mayEdit(zone: string): Promise<boolean>;
  /** Step 1's error text for this API. */
  notFound(zone: string): string;
}

export interface MassEditResult {
  new_serial: number | string;
}

type Json = Record<string, unknown>;

/** Step 3: JSON object or the "must be an object" error. */
function parseObject(kind: 'add' | 'edit', raw: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new SimApiError(messages.notAnObject(kind));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new SimApiError(messages.notAnObject(kind));
  return value as Json;
}

/** Perl does not tell `14400` from `"14400"`; scalars become strings, anything else fails the shape. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** Step 5 for one add or edit. */
function shapeOf(kind: 'add' | 'edit', item: Json): MassEditAdd {
  const required = kind === 'add' ? ['dname', 'ttl', 'record_type', 'data'] : ['line_index', 'dname', 'ttl', 'record_type', 'data'];
  if (required.some((key) => item[key] === undefined || item[key] === null)) {
    throw new SimApiError(kind === 'add' ? messages.addMissingKeys() : messages.editMissingKeys());
  }
  if (!Array.isArray(item.data)) throw new SimApiError(messages.dataNotArray());
  const data = item.data.map(scalarText);
  if (data.some((d) => d === null)) throw new SimApiError(messages.dataNotArray());
  const ttl = scalarText(item.ttl) ?? JSON.stringify(item.ttl);
  if (!/^\d+$/.test(ttl)) throw new SimApiError(messages.badTtl(ttl));
  const type = scalarText(item.record_type) ?? JSON.stringify(item.record_type);
  if (!KNOWN_TYPES.has(type)) throw new SimApiError(messages.unknownType(type));
  const dname = scalarText(item.dname) ?? JSON.stringify(item.dname);
  (data as string[]).forEach((value, i) => {
    // Printable ASCII only (LineEdit/Backend.pm); whether cPanel counts items from 0 or 1 is unverified.
    if (!/^[\x20-\x7e]*$/.test(value)) throw new SimApiError(messages.notPrintable(value, type, i + 1));
  });
  return { dname, ttl: Number(ttl), record_type: type, data: data as string[] };
}

function lineIndexOf(item: Json): number {
  const text = scalarText(item.line_index);
  if (text === null || !/^\d+$/.test(text)) throw new SimApiError(messages.editLineIndexNotInteger());
  return Number(text);
}

/** Step 6: the caller may create the added types and touch the edited/removed lines' types. */
function authorize(authority: EditAuthority, zone: Zone, adds: MassEditAdd[], edits: MassEditEdit[], removes: number[]): void {
  const creatable = creatableTypes(authority);
  const allowedList = authority.kind === 'user' ? authority.allowed : [];
  const typeAtLine = (line: number) => zone.records.find((r) => r.lineIndex === line)?.type;
  for (const add of adds) {
    if (!creatable.includes(add.record_type)) throw new SimApiError(messages.cannotCreate(add.record_type, creatable));
  }
  for (const line of [...edits.map((e) => e.line_index), ...removes]) {
    const existing = typeAtLine(line);
    // A line without a record is step 8's error ("No record exists at line N …").
    if (existing !== undefined && !mayEditOrRemove(authority, existing)) {
      throw new SimApiError(messages.cannotEditOrRemove(line, existing, allowedList));
    }
  }
  for (const edit of edits) {
    // An edit writes a record of its type: it must be creatable, except WHM rewriting the SOA in place.
    const rewritesSoa = authority.kind === 'whm' && edit.record_type === 'SOA' && typeAtLine(edit.line_index) === 'SOA';
    if (!rewritesSoa && !creatable.includes(edit.record_type)) throw new SimApiError(messages.cannotCreate(edit.record_type, creatable));
  }
}

/** The typed payload of InvalidZoneFile (§6.4; `by_line` item shape unverified). */
function invalidZone(problems: ZoneProblem[]): TypedErrorData {
  return { type: 'InvalidZoneFile', detail: { by_line: problems } };
}

/** "Today" of the serial bump comes from the injected clock, in the server's time zone (§6.3). */
function editOptions(ctx: SimContext): { now: Date; timeZone?: string } {
  return ctx.timeZone === undefined ? { now: ctx.clock() } : { now: ctx.clock(), timeZone: ctx.timeZone };
}

export async function performMassEdit(ctx: SimContext, params: RequestParams, policy: MassEditPolicy): Promise<MassEditResult> {
  // Step 0: required arguments.
  const zoneName = requireArg(params, 'zone');
  const serial = requireArg(params, 'serial');

  // A test's "someone else edited the zone first" runs before anything is checked (checklist §10.5).
  await ctx.massEditHooks.takeBefore(zoneName)?.();

  return ctx.zones.withLock(zoneName, async () => {
    // Step 1
    const loaded = (await policy.mayEdit(zoneName)) ? await loadZone(ctx, zoneName) : null;
    if (!loaded) throw new SimApiError(policy.notFound(zoneName));

    // Step 2
    const rawAdds = params.list('add');
    const rawEdits = params.list('edit');
    const rawRemoves = params.list('remove');
    if (rawAdds.length + rawEdits.length + rawRemoves.length === 0) throw new SimApiError(messages.atLeastOneChange());

    // Step 3
    const addObjects = rawAdds.map((raw) => parseObject('add', raw));
    const editObjects = rawEdits.map((raw) => parseObject('edit', raw));

    // Step 4
    if (rawRemoves.some((raw) => !/^\d+$/.test(raw))) throw new SimApiError(messages.removeNotInteger());
    const removes = rawRemoves.map(Number);

    // Step 5
    const adds = addObjects.map((item) => shapeOf('add', item));
    const edits: MassEditEdit[] = editObjects.map((item) => ({ ...shapeOf('edit', item), line_index: lineIndexOf(item) }));

    // Step 6
    authorize(policy.authority, loaded.zone, adds, edits, removes);

    // Step 7
    assertSerialCurrent(serial, loaded.zone.serial);

    // Step 8
    let edited: { text: string; newSerial: string };
    try {
      edited = applyMassEdit(loaded.text, zoneName, { add: adds, edit: edits, remove: removes }, editOptions(ctx));
    } catch (err) {
      if (err instanceof LineEditError) {
        const typed = err.cpanelType === 'InvalidZoneFile' ? invalidZone([{ line_index: null, message: err.message }]) : undefined;
        throw new SimApiError(err.message, typed);
      }
      throw err;
    }

    // Step 9
    const injected = ctx.massEditHooks.takeInvalidZone(zoneName);
    const problems = injected ? injected.map((message) => ({ line_index: null, message })) : zoneProblems(edited.text, zoneName);
    if (problems.length > 0)
      throw new SimApiError(
        messages.invalidZoneFile(
          zoneName,
          problems.map((p) => p.message),
        ),
        invalidZone(problems),
      );
    await ctx.zones.write(zoneName, edited.text);
    await ctx.afterZoneWrite(zoneName);
    const newSerial = String(edited.newSerial);
    return { new_serial: ctx.newSerialType === 'number' ? Number(newSerial) : newSerial };
  });
}

/**
 * Another Zone Editor user's edit, applied through the same line editor (so it bumps the serial the
 * real way): the knob behind "concurrent edit between your read and your write".
 */
export async function otherUserEdit(ctx: SimContext, zoneName: string, change: Partial<MassEditChange>): Promise<string> {
  return ctx.zones.withLock(zoneName, async () => {
    const text = await ctx.zones.read(zoneName);
    if (text === null) throw new Error(`no zone ${zoneName}`);
    const edited = applyMassEdit(
      text,
      zoneName,
      { add: change.add ?? [], edit: change.edit ?? [], remove: change.remove ?? [] },
      editOptions(ctx),
    );
    await ctx.zones.write(zoneName, edited.text);
    await ctx.afterZoneWrite(zoneName);
    return String(edited.newSerial);
  });
}

/**
 * Another party removes a record the way WHM's legacy `removezonerecord` does (docs/reference/cpanel-api.md §8.2:
 * "line numbers shift after every edit"): the record's lines leave the file, every later record's
 * line index moves up, and the serial is bumped. A client holding line indexes from before must not
 * send them (the serial check is what stops it). The record must name its owner and TTL itself.
 */
export async function otherUserRemoveLines(ctx: SimContext, zoneName: string, lineIndex: number): Promise<string> {
  return ctx.zones.withLock(zoneName, async () => {
    const text = await ctx.zones.read(zoneName);
    if (text === null) throw new Error(`no zone ${zoneName}`);
    const span = readZoneFileDetails(text, zoneName).spans.find((s) => s.record.lineIndex === lineIndex);
    if (!span || span.record.type === 'SOA') throw new Error(`no record to remove at line ${lineIndex} of ${zoneName}`);
    const lines = text.split('\n');
    lines.splice(span.firstLine, span.lastLine - span.firstLine + 1);
    // An empty edit only bumps the serial, in place, the way every cPanel write does.
    const edited = applyMassEdit(lines.join('\n'), zoneName, { add: [], edit: [], remove: [] }, editOptions(ctx));
    await ctx.zones.write(zoneName, edited.text);
    await ctx.afterZoneWrite(zoneName);
    return String(edited.newSerial);
  });
}
