/**
 * The fleet wire contract: what a server sends to the controller and what it gets back. Both ends
 * validate with these schemas, so a field added on one side and forgotten on the other fails loudly
 * in the tests instead of being dropped. Pure: zod and nothing else.
 *
 * A server's outbox entries carry its own sequence numbers (1, 2, 3 … in its SQLite store); the
 * controller remembers the highest it applied per server, so a push sent twice (an answer lost on
 * the way back) changes nothing the second time.
 */
import { z } from 'zod';

/** Bumped when a message changes incompatibly; the controller refuses versions it does not speak. */
export const PROTOCOL_VERSION = 1;

/** Most entries one push may carry, and the most rows one entry may carry. */
export const MAX_ENTRIES_PER_PUSH = 200;
export const MAX_ROWS_PER_ENTRY = 500;
/** Most bytes of a push body (the controller's JSON parser limit is set from it). */
export const MAX_PUSH_BYTES = 8 * 1024 * 1024;
/** Most repair requests handed out by one pull. */
export const MAX_REQUESTS_PER_PULL = 500;

const text = (max: number) => z.string().max(max);
const name = z.string().min(1).max(253);
const isoTime = z.iso.datetime({ offset: true });
const user = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9._@-]*$/);
/** Finding codes are the shared vocabulary's; a newer server may know codes this controller does not, so only the shape is checked. */
export const findingCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/);
export const domainStatus = z.enum(['ok', 'info', 'warning', 'error', 'unknown']);
export type DomainStatus = z.infer<typeof domainStatus>;

export const domainRow = z.object({
  domain: name,
  zone: name,
  user,
  /** Reseller (or root) owning the account. */
  owner: user,
  status: domainStatus,
  codes: z.array(findingCode).max(64),
  /** The non-ok findings in words, for the fleet's domain view (records stay on the server). */
  findings: z.array(z.object({ code: findingCode, severity: z.enum(['ok', 'info', 'warning', 'error']), message: text(1000) })).max(64),
  scannedAt: isoTime,
});
export type DomainRow = z.infer<typeof domainRow>;

export const changeRow = z.object({
  /** The change's id in the server's journal (what `fix-email-auth rollback <id>` takes there). */
  id: z.number().int().positive(),
  domain: name,
  zone: name,
  user,
  kind: z.enum(['repair', 'rollback']),
  rollbackOf: z.number().int().positive().nullable(),
  status: z.enum(['planned', 'backed_up', 'applying', 'applied', 'verified', 'failed', 'rolled_back']),
  actor: text(200),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** The lockdown record values before and after (TXT strings joined). */
  before: z.array(text(2000)).max(20),
  after: z.array(text(2000)).max(20),
  error: text(2000).nullable(),
});
export type ChangeRow = z.infer<typeof changeRow>;

export const rejectionRow = z.object({
  messageId: text(300),
  time: isoTime,
  recipient: text(320),
  domain: name.nullable(),
  class: z.enum(['LOCKDOWN_REJECTED', 'SPF_REJECTED', 'RECIPIENT_INVALID', 'RATE_LIMITED', 'DEFERRED', 'OTHER']),
  sender: text(320).nullable(),
  authUser: text(320).nullable(),
});
export type RejectionRow = z.infer<typeof rejectionRow>;

/** Why a server declined a repair request (its own policy decides, never the controller). */
export const refusalReason = z.enum(['NOT_STALE', 'BLOCK_ALL', 'FOREIGN_DNS', 'UNKNOWN_DOMAIN', 'NEEDS_A_PERSON', 'NOT_READABLE']);
export type RefusalReason = z.infer<typeof refusalReason>;

export const requestOutcome = z.object({
  itemId: z.number().int().positive(),
  /** accepted: a local repair job took it · refused: the server's policy said no · the rest: how the repair ended. */
  state: z.enum(['accepted', 'refused', 'unchanged', 'done', 'failed']),
  reason: refusalReason.optional(),
  message: text(2000),
  jobId: z.number().int().positive().optional(),
  changeId: z.number().int().positive().optional(),
  /** The codes of the server's own diagnosis when it decided. */
  codes: z.array(findingCode).max(64).optional(),
});
export type RequestOutcome = z.infer<typeof requestOutcome>;

export const outboxEntry = z.discriminatedUnion('kind', [
  z.object({ seq: z.number().int().positive(), kind: z.literal('domains'), rows: z.array(domainRow).max(MAX_ROWS_PER_ENTRY) }),
  /** Domains the server no longer has (a scan found their account gone): the controller forgets them. */
  z.object({ seq: z.number().int().positive(), kind: z.literal('domains-removed'), domains: z.array(name).max(MAX_ROWS_PER_ENTRY) }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('changes'), rows: z.array(changeRow).max(MAX_ROWS_PER_ENTRY) }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('rejections'), rows: z.array(rejectionRow).max(MAX_ROWS_PER_ENTRY) }),
  z.object({ seq: z.number().int().positive(), kind: z.literal('request'), outcome: requestOutcome }),
]);
export type OutboxEntry = z.infer<typeof outboxEntry>;
/** An entry before it has its sequence number (what the server's collector produces). */
export type NewOutboxEntry = OutboxEntry extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

export const serverInfo = z.object({
  hostname: name,
  version: text(40),
});
export type ServerInfo = z.infer<typeof serverInfo>;

export const pushBody = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  info: serverInfo,
  entries: z.array(outboxEntry).max(MAX_ENTRIES_PER_PUSH),
});
export type PushBody = z.infer<typeof pushBody>;

export const pushAnswer = z.object({
  /** Every entry up to this sequence number is applied (or was before): the server may drop them. */
  ackedSeq: z.number().int().min(0),
  /**
   * What the controller had applied before this push. Lower than what the server dropped as
   * acknowledged means the controller lost data (a restored backup): the server sends everything again.
   */
  previousSeq: z.number().int().min(0),
});
export type PushAnswer = z.infer<typeof pushAnswer>;

export const pullBody = z.object({ protocol: z.literal(PROTOCOL_VERSION), info: serverInfo });
export type PullBody = z.infer<typeof pullBody>;

export const repairRequest = z.object({
  itemId: z.number().int().positive(),
  repairId: z.number().int().positive(),
  domain: name,
  requestedBy: text(200),
  requestedAt: isoTime,
});
export type RepairRequest = z.infer<typeof repairRequest>;

export const pullAnswer = z.object({
  requests: z.array(repairRequest).max(MAX_REQUESTS_PER_PULL),
  /** How long the controller suggests waiting before the next pull. */
  pollSeconds: z.number().int().min(1).max(86400),
});
export type PullAnswer = z.infer<typeof pullAnswer>;

export const enrollBody = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  token: z.string().min(10).max(200),
  /** The server's Ed25519 public key, SPKI DER in base64: the only key the controller ever holds for it. */
  publicKey: z.string().min(40).max(200),
  info: serverInfo,
});
export type EnrollBody = z.infer<typeof enrollBody>;

export const enrollAnswer = z.object({
  serverId: z.number().int().positive(),
  name,
  pollSeconds: z.number().int().min(1).max(86400),
});
export type EnrollAnswer = z.infer<typeof enrollAnswer>;

/** An error answer of the fleet API (both ends): a stable code and a sentence. */
export const errorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
