/**
 * Postfix's failures and deferrals (delivery lines with `status=bounced|expired|undeliverable` or
 * `status=deferred`), each joined by queue id to the message's envelope sender (qmgr `from=<…>`) and
 * SMTP-AUTH login (smtpd `sasl_username=`), read from the log and its rotations (oldest first,
 * `.gz` inflated as a stream). The result has the Exim reader's shape (src/adapters/exim), so the
 * same use case and classifier (src/usecases/bounces.ts, src/checks/bounce.ts) read both:
 * `findBounces(input, { readFailures: readPostfixFailures })`.
 *
 * Incremental reading: with a cursor store, a log that is the same file as last time (device,
 * inode, first bytes) is read from where the last read stopped; after a rotation the live log is
 * read whole and a warning says the rotated rest was not followed (the Exim reader does follow it).
 */
import { createHash } from 'crypto';
import { createReadStream } from 'fs';
import { stat } from 'fs/promises';
import { resolve } from 'path';
import { createInterface } from 'readline';
import { createGunzip } from 'zlib';
import { FixEmailAuthError } from '../../errors';
import type { LogCursor } from '../exim/cursor';
import type { EximFailure } from '../exim/joiner';
import type { FileRead, ReadEximOptions, ReadEximResult } from '../exim/reader';
import { listRotations } from '../exim/rotation';
import { parseDelivery, parsePostfixLine, pickupUidOf, saslUserOf, senderOf } from './line';

const FAILED = new Set(['bounced', 'expired', 'undeliverable']);
const DAY_MS = 86_400_000;
const HEAD = 4096;
const MAX_OPEN = 100_000;
const MAX_LINE = 64 * 1024;

interface Identity {
  sender?: string;
  authUser?: string;
}

/** Syslog lines carry no year: the file's modification year, or the one before for dates after it. */
function yearResolver(mtime: Date): (month: number, day: number) => number {
  return (month, day) => {
    const year = mtime.getFullYear();
    return new Date(year, month, day).getTime() > mtime.getTime() + DAY_MS ? year - 1 : year;
  };
}

/** sha256 of the first `length` bytes (fewer when the file is shorter). */
async function headHash(path: string, length: number): Promise<string> {
  const chunks: Buffer[] = [];
  if (length > 0) for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) chunks.push(chunk as Buffer);
  return createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
}

class Joiner {
  readonly open = new Map<string, Identity>();
  evicted = 0;

  note(queueId: string, update: Identity): void {
    const current = this.open.get(queueId) ?? {};
    this.open.delete(queueId);
    this.open.set(queueId, { ...current, ...update });
    if (this.open.size > MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
      this.evicted++;
    }
  }
}

export async function readPostfixFailures(options: ReadEximOptions): Promise<ReadEximResult> {
  const main = resolve(options.log);
  let mainStat;
  try {
    mainStat = await stat(main, { bigint: true });
  } catch (err) {
    throw new FixEmailAuthError('BAD_INPUT', `Cannot read mail log ${main}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      step: 'read',
      cause: err,
    });
  }
  const key = options.cursorKey ?? `postfix:${main}`;
  const warnings: string[] = [];
  const joiner = new Joiner();
  const failures: EximFailure[] = [];
  const files: FileRead[] = [];
  let lines = 0;
  let skippedLongLines = 0;

  const cursor = options.cursorStore?.get(key);
  const sameFile =
    cursor !== undefined &&
    cursor.ino === String(mainStat.ino) &&
    cursor.dev === String(mainStat.dev) &&
    BigInt(cursor.offset) <= mainStat.size &&
    cursor.headHash === (await headHash(main, Math.min(cursor.headLength, Number(mainStat.size))));
  for (const [id, json] of sameFile ? (cursor.open ?? []) : []) joiner.note(id, JSON.parse(json) as Identity);
  if (cursor && !sameFile)
    warnings.push(`${main} was rotated or replaced since the last read; it is read whole, the rotated rest is not followed`);

  const plan: Array<{ path: string; gz: boolean; from: number; mtime: Date }> = [];
  if (!options.cursorStore && !main.endsWith('.gz') && options.includeRotated !== false) {
    for (const r of await listRotations(main)) {
      if (options.since && r.mtimeMs < options.since.getTime() - DAY_MS) continue;
      plan.push({ path: r.path, gz: r.gz, from: 0, mtime: new Date(r.mtimeMs) });
    }
  }
  plan.push({ path: main, gz: main.endsWith('.gz'), from: sameFile ? cursor.offset : 0, mtime: new Date(Number(mainStat.mtimeMs)) });

  let endOffset = 0;
  for (const file of plan) {
    const yearOf = yearResolver(file.mtime);
    const raw = createReadStream(file.path, { start: file.from });
    const input = file.gz ? raw.pipe(createGunzip()) : raw;
    let offset = file.from;
    let lastBytes = 0;
    const reader = createInterface({ input, crlfDelay: Infinity });
    try {
      for await (const text of reader) {
        lastBytes = Buffer.byteLength(text) + 1;
        offset += lastBytes;
        lines++;
        if (text.length > MAX_LINE) {
          skippedLongLines++;
          continue;
        }
        const line = parsePostfixLine(text, yearOf);
        if (!line) continue;
        const { queueId, rest } = line;
        if (rest === 'removed') {
          joiner.open.delete(queueId);
          continue;
        }
        const sender = line.service === 'qmgr' ? senderOf(rest) : undefined;
        if (sender !== undefined) joiner.note(queueId, { sender });
        const sasl = line.service.endsWith('smtpd') ? saslUserOf(rest) : undefined;
        if (sasl !== undefined) joiner.note(queueId, { authUser: sasl });
        const uid = line.service === 'pickup' ? pickupUidOf(rest) : undefined;
        if (uid !== undefined) joiner.note(queueId, { authUser: `uid ${uid}` });
        const delivery = parseDelivery(rest);
        if (!delivery || (delivery.status !== 'deferred' && !FAILED.has(delivery.status))) continue;
        if (options.since && line.time < options.since) continue;
        if (options.relayHost && delivery.relayName !== options.relayHost && delivery.relayIp !== options.relayHost) continue;
        const known = joiner.open.get(queueId);
        const failure: EximFailure = {
          messageId: queueId,
          time: line.time,
          kind: delivery.status === 'deferred' ? 'deferred' : 'failed',
          recipient: delivery.recipient,
          originalRecipient: delivery.originalRecipient,
          message: delivery.reason,
          hostName: delivery.relayName,
          hostIp: delivery.relayIp,
          router: null,
          transport: line.service,
          sender: known?.sender ?? null,
          authUser: known?.authUser ?? null,
          file: file.path,
        };
        if (options.onFailure) options.onFailure(failure);
        else failures.push(failure);
      }
    } catch (err) {
      if (file.path === main)
        throw new FixEmailAuthError('BAD_INPUT', `Cannot read mail log ${file.path}: ${String(err)}`, { step: 'read', cause: err });
      warnings.push(`skipped ${file.path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    files.push({ path: file.path, from: file.from, to: offset, bytesRead: offset - file.from });
    // An unfinished last line (no newline yet) is read again next time.
    if (file.path === main) endOffset = offset > (await stat(main)).size ? offset - lastBytes : offset;
  }

  if (options.cursorStore && !main.endsWith('.gz')) {
    const next: LogCursor = {
      dev: String(mainStat.dev),
      ino: String(mainStat.ino),
      size: Number(mainStat.size),
      offset: endOffset,
      headHash: await headHash(main, Math.min(HEAD, Number(mainStat.size))),
      headLength: Math.min(HEAD, Number(mainStat.size)),
      open: [...joiner.open.entries()].slice(-20_000).map(([id, identity]) => [id, JSON.stringify(identity)]),
      updatedAt: new Date().toISOString(),
    };
    options.cursorStore.set(key, next);
  }
  return { failures, files, lines, skippedLongLines, evictedArrivals: joiner.evicted, warnings };
}
