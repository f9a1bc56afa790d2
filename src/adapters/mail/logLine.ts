/**
 * One Exim main-log line as the test-email follower needs it: message id, flag and the rest
 * (docs/reference/jetbackup-and-exim.md §2.2–§2.4: optional `.mmm`, ` +hhmm` and `[pid]`, both id formats).
 * Lines of one message are few, so a plain regular expression is fine here; the bulk reader in
 * adapters/exim works on bytes for speed.
 */
import { parseFailure, parseFields } from '../exim/fields';

const LINE =
  /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [+-]\d{4})?(?: \[\d+\])? ([0-9A-Za-z]{6}-(?:[0-9A-Za-z]{11}-[0-9A-Za-z]{4}|[0-9A-Za-z]{6}-[0-9A-Za-z]{2})) (<=|\(=|=>|->|>>|\*>|\*\*|==|Completed)(?: (.*))?$/;

export type LogFlag = '<=' | '(=' | '=>' | '->' | '>>' | '*>' | '**' | '==' | 'Completed';

export interface MessageLine {
  eximId: string;
  flag: LogFlag;
  /** Text after the flag. */
  rest: string;
}

export function parseMessageLine(line: string): MessageLine | null {
  const m = LINE.exec(line);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return { eximId: m[1], flag: m[2] as LogFlag, rest: m[3] ?? '' };
}

/** `id=` (Message-ID header, brackets stripped) and `T=` (subject) of an arrival's text after `<=`. */
export function arrivalMarks(rest: string): { messageId: string | null; subject: string | null } {
  let messageId: string | null = null;
  let subject: string | null = null;
  const space = rest.indexOf(' ');
  if (space < 0) return { messageId, subject };
  for (const field of parseFields(rest.slice(space + 1))) {
    if (field.key === 'id' && messageId === null) messageId = field.value;
    else if (field.key === 'T' && subject === null) subject = field.value;
  }
  return { messageId, subject };
}

/** A delivery (`=>`) line: recipient, remote host and the SMTP confirmation (`C="250 …"`). */
export function parseDelivery(rest: string): {
  recipient: string;
  host: string | null;
  hostIp: string | null;
  router: string | null;
  transport: string | null;
  confirmation: string | null;
} {
  const space = rest.indexOf(' ');
  const recipient = space < 0 ? rest : rest.slice(0, space);
  let host: string | null = null;
  let hostIp: string | null = null;
  let router: string | null = null;
  let transport: string | null = null;
  let confirmation: string | null = null;
  const fieldText = space < 0 ? '' : rest.slice(space + 1);
  for (const f of parseFields(fieldText)) {
    if (f.key === 'H' && host === null) {
      host = f.value;
      const ip = /^ \[([^\]]+)\]/.exec(fieldText.slice(f.at + 2 + f.value.length));
      if (ip && ip[1] !== undefined) hostIp = ip[1];
    } else if (f.key === 'R' && router === null) router = f.value;
    else if (f.key === 'T' && transport === null) transport = f.value;
    else if (f.key === 'C' && confirmation === null) confirmation = f.value;
  }
  return { recipient, host, hostIp, router, transport, confirmation };
}

export { parseFailure };
