/**
 * The `data` of the JetBackup functions we call, read leniently and normalised to our own shapes.
 * Field names come from the v5.3 API pages (listAccounts, getSettingsSnapshots, getBackupJob,
 * listQueueGroups/getQueueGroup, listBackups, getBackupItems; docs/reference/jetbackup-and-exim.md §1.4–§1.9).
 * Leniency is deliberate where the reference marks a shape unverified:
 * - PHP's `json_encode` writes an empty array as `[]` even where an object is expected, and a list
 *   whose keys are not 0..n-1 as an object (`{"0":{…},"1":{…}}`), so lists accept both;
 * - ids may be numbers, numbers may be digit strings, and times have several formats (jetbackup-time.ts).
 * Each parser throws a ZodError on a shape it cannot use; the client turns that into `bad-output`.
 */
import { z } from 'zod';
import { parseJetBackupTime } from './jetbackup-time';

const idText = z.union([z.string().min(1), z.number().transform(String)]);
const intLike = z.union([
  z.number().int(),
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const optionalText = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(undefined);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `[…]`, `{"0":…,"1":…}` (only numeric keys are entries), or nothing → an array. */
function toList(value: unknown): unknown {
  if (value === null || value === undefined) return [];
  if (isPlainObject(value)) {
    return Object.entries(value)
      .filter(([key]) => /^\d+$/.test(key))
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, entry]) => entry);
  }
  return value;
}

function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(toList, z.array(item));
}

/** Empty `data` may be `[]` instead of `{}` (§1.1). */
function emptyAsObject(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value) && value.length === 0) return {};
  return value;
}

function objectData<T extends z.ZodType>(schema: T) {
  return z.preprocess(emptyAsObject, schema);
}

/** An `ended` field counts as "ended" when it holds a time or a true flag; `""`, null, 0 do not. */
export function isEndedValue(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '0') return false;
  if (typeof value === 'string') return value.trim() !== '' && !/^0000-00-00/.test(value.trim());
  return true;
}

function logText(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// listAccounts → data.accounts[] (§1.4)

const accountSchema = z.object({ _id: idText, username: z.string() });

export interface JetBackupAccount {
  id: string;
  username: string;
}

export function parseAccounts(data: unknown): JetBackupAccount[] {
  const parsed = objectData(z.object({ accounts: listOf(accountSchema) })).parse(data);
  return parsed.accounts.map((account) => ({ id: account._id, username: account.username }));
}

// ---------------------------------------------------------------------------------------------
// getSettingsSnapshots → data.backup = job id of Backup on Demand, "" when none (§1.5)

function jobIdOf(value: unknown): string | null {
  if (Array.isArray(value)) return value.map(jobIdOf).find((id) => id !== null) ?? null;
  if (isPlainObject(value)) return jobIdOf(value['_id']);
  if (typeof value === 'number' && value > 0) return String(value);
  if (typeof value === 'string' && value.trim() !== '' && value.trim() !== '0') return value.trim();
  return null;
}

export interface OnDemandSettings {
  /** The Backup-on-Demand job, or null when none is selected. */
  jobId: string | null;
  retain?: number;
  ttl?: number;
}

export function parseSettingsSnapshots(data: unknown): OnDemandSettings {
  const parsed = objectData(
    z.object({ backup: z.unknown().optional(), retain: intLike.optional().catch(undefined), ttl: intLike.optional().catch(undefined) }),
  ).parse(data);
  return { jobId: jobIdOf(parsed.backup), retain: parsed.retain, ttl: parsed.ttl };
}

// ---------------------------------------------------------------------------------------------
// getBackupJob → data.contains (§1.5, §1.6)

export interface BackupJobInfo {
  id?: string;
  name?: string;
  /** null when the answer did not say. */
  contains: number | null;
}

export function parseBackupJob(data: unknown): BackupJobInfo {
  const parsed = objectData(
    z.object({ _id: idText.optional().catch(undefined), name: optionalText, contains: intLike.nullish().catch(undefined) }),
  ).parse(data);
  return { id: parsed._id, name: parsed.name ?? undefined, contains: parsed.contains ?? null };
}

// ---------------------------------------------------------------------------------------------
// Queue groups: getQueueGroup → data, listQueueGroups → data.groups[], addQueueItems → data (§1.8, §1.9)

const queueGroupSchema = z.object({
  _id: idText,
  type: intLike.optional().catch(undefined),
  status: intLike.nullish().catch(null),
  owner: optionalText,
  owner_name: optionalText,
  account: optionalText,
  account_id: optionalText,
  created: z.unknown().optional(),
  ended: z.unknown().optional(),
  message: optionalText,
  status_name: optionalText,
  log_file: optionalText,
  log_contents: z.unknown().optional(),
  data: z.unknown().optional(),
});

export interface QueueGroup {
  id: string;
  type?: number;
  status: number | null;
  ended: boolean;
  created: Date | null;
  /** Everything that may name the account the group works for (field name unverified, §1.9). */
  accountIds: string[];
  accountNames: string[];
  message?: string;
  logFile?: string;
  logContents: string;
  raw: unknown;
}

function normaliseQueueGroup(raw: unknown, group: z.output<typeof queueGroupSchema>): QueueGroup {
  const inner = isPlainObject(group.data) ? group.data : {};
  const names = [group.owner_name, group.account, typeof inner['account'] === 'string' ? inner['account'] : undefined];
  const ids = [group.owner, group.account_id, typeof inner['account_id'] === 'string' ? inner['account_id'] : undefined];
  return {
    id: group._id,
    type: group.type,
    status: group.status ?? null,
    ended: isEndedValue(group.ended),
    created: parseJetBackupTime(group.created),
    accountIds: ids.filter((id): id is string => typeof id === 'string' && id !== ''),
    accountNames: names.filter((name): name is string => typeof name === 'string' && name !== ''),
    message: group.message ?? group.status_name ?? undefined,
    logFile: group.log_file ?? undefined,
    logContents: logText(group.log_contents),
    raw,
  };
}

export function parseQueueGroup(data: unknown): QueueGroup {
  return normaliseQueueGroup(data, queueGroupSchema.parse(data));
}

export function parseQueueGroups(data: unknown): QueueGroup[] {
  const parsed = objectData(z.object({ groups: z.preprocess(toList, z.array(z.unknown())) })).parse(data);
  return parsed.groups.map(parseQueueGroup);
}

// ---------------------------------------------------------------------------------------------
// listBackups / listBackupForType → data.backups[]; getBackupItems → a list of items (§1.7)

const backupRowSchema = z.object({
  _id: idText,
  parent_id: idText.optional().catch(undefined),
  account_id: optionalText,
  created: z.unknown().optional(),
  backup_contains: intLike.nullish().catch(null),
});

export interface BackupRow {
  id: string;
  /** The snapshot id: `parent_id` when present (the id getBackupItems and the restore take). */
  snapshotId: string;
  accountId?: string;
  created: Date | null;
  contains: number | null;
}

function normaliseBackupRow(row: z.output<typeof backupRowSchema>): BackupRow {
  return {
    id: row._id,
    snapshotId: row.parent_id ?? row._id,
    accountId: row.account_id ?? undefined,
    created: parseJetBackupTime(row.created),
    contains: row.backup_contains ?? null,
  };
}

export function parseBackups(data: unknown): BackupRow[] {
  const parsed = objectData(z.object({ backups: listOf(backupRowSchema) })).parse(data);
  return parsed.backups.map(normaliseBackupRow);
}

/** The item list sits directly in `data` in the vendor example; `data.backups`/`data.items` are accepted too. */
function itemList(data: unknown): unknown {
  if (isPlainObject(data)) {
    if ('backups' in data) return toList(data['backups']);
    if ('items' in data) return toList(data['items']);
  }
  return toList(data);
}

export function parseBackupItems(data: unknown): BackupRow[] {
  return z.preprocess(itemList, z.array(backupRowSchema)).parse(data).map(normaliseBackupRow);
}
