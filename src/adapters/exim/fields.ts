/**
 * Quote-aware reading of the `key=value` fields of an Exim log line (spec "Summary of Fields in Log
 * Lines"; docs/reference/jetbackup-and-exim.md §2.3). Values may be quoted (`T="Test Email"`, with `\"` inside);
 * `H=` on arrivals may carry spaces (`H=(helo) [ip]:port`), which is why callers look only at the
 * keys they need. Used on the few lines the byte-level pre-filter kept, so plain strings are fine.
 */

export interface Field {
  key: string;
  value: string;
  /** Offset of the token's first character in the text. */
  at: number;
}

/** Read one token starting at `i` (a quoted run counts as part of the token). Returns its end. */
function tokenEnd(text: string, i: number): number {
  let quoted = false;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ' ') break;
  }
  return Math.min(i, text.length);
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(.)/g, '$1');
  return value;
}

/**
 * Every `key=value` token of `text`, in order, up to the first key in `stopAtKeys`. Tokens that are
 * not fields (`[ip]`, `(helo)`, `defer (-46)`) are skipped; a parenthesised group is skipped whole,
 * because a HELO name is client-chosen text and must not be able to smuggle a field in.
 */
export function parseFields(text: string, stopAtKeys?: ReadonlySet<string>): Field[] {
  const fields: Field[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (text.charCodeAt(i) === 0x20) i++;
    if (i >= n) break;
    if (text.charCodeAt(i) === 0x28 /* ( */) {
      const close = text.indexOf(')', i);
      i = close < 0 ? n : close + 1;
      continue;
    }
    // Key: letters up to "="; anything else makes the token a non-field.
    let k = i;
    for (let c = text.charCodeAt(k); (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); c = text.charCodeAt(++k));
    let end = tokenEnd(text, i);
    if (k > i && k < end && text.charCodeAt(k) === 0x3d /* = */) {
      // `H=(helo name)`: the HELO in parentheses belongs to the value, spaces and all.
      if (text.charCodeAt(k + 1) === 0x28) {
        const close = text.indexOf(')', k);
        if (close >= end) end = tokenEnd(text, close);
      }
      const key = text.slice(i, k);
      if (stopAtKeys?.has(key)) break;
      fields.push({ key, value: unquote(text.slice(k + 1, end)), at: i });
    }
    i = end;
  }
  return fields;
}

/** Envelope sender and authenticated identity of an arrival (`<=`) line. */
export interface ArrivalIdentity {
  /** Envelope sender as logged (`<>` for bounces). */
  sender: string;
  /** `A=` server_set_id (after the authenticator's colon), else `U=` (local login / ident), else null. */
  authUser: string | null;
  /** Authenticator name of `A=` (e.g. `dovecot_login`), when present. */
  authenticator: string | null;
  /** `P=` protocol (`local`, `esmtpa`, `esmtpsa`, …). */
  protocol: string | null;
}

/**
 * Fields Exim writes after `S=` on an arrival (`id=` Message-ID header, `T=` subject, `from <…>`,
 * `for …`) come from the message itself, so a sender could forge ` A=` inside them; the real `A=` and
 * `U=` are written before `S=` (Exim receive.c), so we stop there.
 */
const ARRIVAL_STOP_KEYS = new Set(['S', 'id', 'T']);

/**
 * Parse the text after `<= ` of an arrival line: `<sender> [R=..] [H=..] [U=..] P=.. [X=..] [A=..] S=..`.
 * (docs/reference/jetbackup-and-exim.md §2.9: A= id after the colon, else U= local user.)
 */
export function parseArrival(rest: string): ArrivalIdentity {
  const space = rest.indexOf(' ');
  const sender = space < 0 ? rest : rest.slice(0, space);
  let a: string | null = null;
  let u: string | null = null;
  let protocol: string | null = null;
  if (space >= 0) {
    const fields = fieldsBeforeSize(rest, space) ?? parseFields(rest.slice(space + 1), ARRIVAL_STOP_KEYS);
    for (const f of fields) {
      if (f.key === 'A' && a === null) a = f.value;
      else if (f.key === 'U' && u === null) u = f.value;
      else if (f.key === 'P' && protocol === null) protocol = f.value;
    }
  }
  let authenticator: string | null = null;
  let authId: string | null = null;
  if (a !== null) {
    // AUTH (§2.8): `name[:server_set_id]`.
    const colon = a.indexOf(':');
    authenticator = colon < 0 ? a : a.slice(0, colon);
    authId = colon < 0 ? null : a.slice(colon + 1) || null;
  }
  return { sender, authUser: authId ?? u, authenticator, protocol };
}

/**
 * A, U and P of an arrival whose text before ` S=` has no quote or parenthesis (local submissions):
 * plain space-separated tokens, no character loop. Null when the general parser is needed.
 */
function fieldsBeforeSize(rest: string, from: number): Field[] | null {
  const size = rest.indexOf(' S=', from);
  const limit = size < 0 ? rest.length : size;
  const quote = rest.indexOf('"', from);
  const paren = rest.indexOf('(', from);
  if ((quote >= 0 && quote < limit) || (paren >= 0 && paren < limit)) return null;
  const fields: Field[] = [];
  for (const key of ['A', 'U', 'P'] as const) {
    const at = rest.indexOf(` ${key}=`, from - 1);
    if (at < 0 || at >= limit) continue;
    const end = rest.indexOf(' ', at + 3);
    fields.push({ key, value: rest.slice(at + 3, end < 0 || end > limit ? limit : end), at: at + 1 });
  }
  return fields;
}

/** A failure (`**`) or deferral (`==`) line after its flag. */
export interface FailureParts {
  recipient: string;
  /** `<original address>` after the recipient (redirects, aliases), without brackets. */
  originalRecipient: string | null;
  /** Remote host of the attempt (`H=name [ip]`), or from `host name [ip]:` inside the message (old wording). */
  hostName: string | null;
  hostIp: string | null;
  router: string | null;
  transport: string | null;
  /** Everything after the fields' separator: `SMTP error from remote mail server after …: <reply>`. */
  message: string;
}

/**
 * Split a failure line's tail into address, fields and the error message. The message starts after
 * the first `": "` outside quotes following the address: Exim ≤ 4.98 writes `": "` right after the
 * last field, ≥ 4.99 writes `" : "` (deliver.c failure_log, docs/reference/jetbackup-and-exim.md §2.5). Colons
 * inside field values (`X=TLS1.3:…:256`, `[ip]:port`) are never followed by a space.
 */
export function parseFailure(rest: string): FailureParts {
  return parseFailureFast(rest) ?? parseFailureGeneral(rest);
}

/**
 * The usual shape, `addr R=.. T=.. H=name [ip][:port] [X=.. CV=..]: message`, with no quote or
 * parenthesis before the separator: split on spaces without a character loop (a burst of
 * rejections can be most of a log). Anything else returns null for the general parser.
 */
function parseFailureFast(rest: string): FailureParts | null {
  const sep = rest.indexOf(': ');
  if (sep < 0) return null;
  const quote = rest.indexOf('"');
  const paren = rest.indexOf('(');
  const angle = rest.indexOf('<');
  if ((quote >= 0 && quote < sep) || (paren >= 0 && paren < sep) || (angle >= 0 && angle < sep)) return null;
  const head = rest.slice(0, sep);
  const tokens = head.split(' ');
  const recipient = tokens[0] ?? '';
  if (recipient === '') return null;
  let hostName: string | null = null;
  let hostIp: string | null = null;
  let router: string | null = null;
  let transport: string | null = null;
  for (let k = 1; k < tokens.length; k++) {
    const tok = tokens[k] as string;
    if (tok.length < 2 || tok.charCodeAt(1) !== 0x3d /* = */) continue;
    const key = tok.charCodeAt(0);
    if (key === 0x52 /* R */ && router === null) router = tok.slice(2);
    else if (key === 0x54 /* T */ && transport === null) transport = tok.slice(2);
    else if (key === 0x48 /* H */ && hostName === null) {
      hostName = tok.slice(2);
      const next = tokens[k + 1];
      if (next !== undefined && next.charCodeAt(0) === 0x5b /* [ */) {
        const close = next.indexOf(']');
        if (close > 1) hostIp = next.slice(1, close);
      }
    }
  }
  const message = rest.slice(sep + 2).trim();
  if (hostName === null) {
    const m = /\bhost (\S+) \[([^\]]+)\]/.exec(message);
    if (m && m[1] !== undefined && m[2] !== undefined) {
      hostName = m[1];
      hostIp = m[2];
    }
  }
  return { recipient, originalRecipient: null, hostName, hostIp, router, transport, message };
}

function parseFailureGeneral(rest: string): FailureParts {
  const rcptEnd = tokenEnd(rest, 0);
  let recipient = rest.slice(0, rcptEnd);
  let i = rcptEnd;
  let originalRecipient: string | null = null;
  // A local failure can log the address as `addr: message` with no fields at all.
  if (recipient.endsWith(':') && rest[rcptEnd] === ' ') {
    recipient = recipient.slice(0, -1);
    i = rcptEnd - 1;
  } else {
    while (rest[i] === ' ') i++;
    if (rest[i] === '<') {
      const close = rest.indexOf('>', i);
      if (close > 0) {
        originalRecipient = rest.slice(i + 1, close);
        i = close + 1;
      }
    }
  }
  let sep = -1;
  let quoted = false;
  for (let j = i; j < rest.length - 1; j++) {
    const c = rest[j];
    if (quoted) {
      if (c === '\\') j++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ':' && rest[j + 1] === ' ') {
      sep = j;
      break;
    }
  }
  const fieldText = sep < 0 ? rest.slice(i) : rest.slice(i, sep);
  const message = sep < 0 ? '' : rest.slice(sep + 2).trim();
  let hostName: string | null = null;
  let hostIp: string | null = null;
  let router: string | null = null;
  let transport: string | null = null;
  for (const f of parseFields(fieldText)) {
    if (f.key === 'R' && router === null) router = f.value;
    else if (f.key === 'T' && transport === null) transport = f.value;
    else if (f.key === 'H' && hostName === null) {
      hostName = f.value;
      const after = fieldText.slice(f.at + 2 + f.value.length);
      const ip = /^ \[([^\]]+)\]/.exec(after);
      if (ip && ip[1] !== undefined) hostIp = ip[1];
    }
  }
  if (hostName === null) {
    // Older wording (spec "Delivery failures"): "...: host pbmail3.py.example [192.168.63.111]: 553 ..."
    const m = /\bhost (\S+) \[([^\]]+)\]/.exec(message);
    if (m && m[1] !== undefined && m[2] !== undefined) {
      hostName = m[1];
      hostIp = m[2];
    }
  }
  return { recipient, originalRecipient, hostName, hostIp, router, transport, message };
}
