/**
 * One line of Postfix's mail log (/var/log/maillog on RHEL-family Plesk servers, /var/log/mail.log
 * on Debian/Ubuntu; docs/reference/plesk.md §8), as syslog or Postfix's own `postlogd`
 * (`maillog_file`, Postfix ≥ 3.4) writes it:
 *
 *     Jan  1 00:00:00 host postfix/smtp[1234]: 4F3A12345: to=<rcpt@example.net>, relay=…, dsn=5.7.1, status=bounced (host … said: 550 5.7.1 …)
 *     2026-01-01T00:00:00.123456+01:00 host postfix/qmgr[99]: 4F3A12345: from=<a@example.com>, size=461, nrcpt=1 (queue active)
 *
 * Timestamps: the BSD syslog form (`Mmm d HH:MM:SS`, day space- or zero-padded, no year — rsyslog's
 * traditional format and postlogd's) or RFC 3339 (rsyslog's high-precision format). Field meanings:
 * Postfix's `smtp(8)`/`qmgr(8)`/`smtpd(8)` logging (http://www.postfix.org/postconf.5.html
 * `smtpd_sasl_auth_enable` → `sasl_username=`; delivery status `status=sent|deferred|bounced|expired`).
 */

export interface PostfixLine {
  /** Local time for the syslog form (year supplied by the caller), exact for RFC 3339. */
  time: Date;
  host: string;
  /** `smtp`, `qmgr`, `smtpd`, `cleanup`, `bounce`, … (the part after `postfix/` or `postfix-<instance>/`). */
  service: string;
  queueId: string;
  /** Everything after `<queue id>: `. */
  rest: string;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

const LINE =
  /^(?:(?<mon>[A-Z][a-z]{2}) +(?<day>\d{1,2}) (?<hms>\d\d:\d\d:\d\d)(?:\.\d+)?|(?<iso>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)) (?<host>\S+) postfix(?:-[^/\s]+)?\/(?<service>[a-z0-9_/-]+)\[\d+\]: (?<qid>[0-9A-Za-z]{5,20}): (?<rest>.*)$/;

/** Parse a line, or null when it is not a Postfix line about a queued message (NOQUEUE, warnings, other programs). */
export function parsePostfixLine(line: string, yearOf: (month: number, day: number) => number): PostfixLine | null {
  const m = LINE.exec(line);
  if (!m?.groups) return null;
  const g = m.groups;
  let time: Date;
  if (g.iso !== undefined) time = new Date(g.iso);
  else {
    const month = MONTHS[g.mon as string];
    if (month === undefined) return null;
    const day = Number(g.day);
    const [h, mi, s] = (g.hms as string).split(':').map(Number) as [number, number, number];
    time = new Date(yearOf(month, day), month, day, h, mi, s);
  }
  if (Number.isNaN(time.getTime()) || g.qid === 'NOQUEUE') return null;
  return { time, host: g.host as string, service: g.service as string, queueId: g.qid as string, rest: g.rest as string };
}

export interface DeliveryStatus {
  recipient: string;
  originalRecipient: string | null;
  /** `relay=` name and address; null for `relay=none`. */
  relayName: string | null;
  relayIp: string | null;
  dsn: string | null;
  status: string;
  /** The text in parentheses after `status=…`: the remote reply (`host … said: 550 5.7.1 …`) or Postfix's reason. */
  reason: string;
}

const DELIVERY =
  /^to=<(?<to>[^>]*)>, (?:orig_to=<(?<orig>[^>]*)>, )?relay=(?<relay>[^,]+), (?:.*?, )?(?:dsn=(?<dsn>[0-9.]+), )?status=(?<status>[a-z]+)(?: \((?<reason>.*)\))?$/;

/** A delivery attempt's line (`smtp`, `lmtp`, `local`, `error`, `virtual`…), or null. */
export function parseDelivery(rest: string): DeliveryStatus | null {
  const m = DELIVERY.exec(rest);
  if (!m?.groups) return null;
  const g = m.groups;
  const relay = /^(?<name>[^[\s]+)\[(?<ip>[^\]]+)\](?::\d+)?$/.exec(g.relay as string);
  return {
    recipient: g.to as string,
    originalRecipient: g.orig ?? null,
    relayName: relay?.groups?.name ?? null,
    relayIp: relay?.groups?.ip ?? null,
    dsn: g.dsn ?? null,
    status: g.status as string,
    reason: g.reason ?? '',
  };
}

/** `from=<sender>` of qmgr's line (empty for bounces), or undefined. */
export function senderOf(rest: string): string | undefined {
  return /^from=<([^>]*)>/.exec(rest)?.[1];
}

/** `sasl_username=` of smtpd's `client=` line (a mailbox login), or undefined. */
export function saslUserOf(rest: string): string | undefined {
  return /(?:^|, )sasl_username=([^,\s]+)/.exec(rest)?.[1];
}

/** Local submissions through sendmail: pickup's `uid=<n> from=<…>`; the uid is the submitting system user. */
export function pickupUidOf(rest: string): string | undefined {
  return /^uid=(\d+) from=/.exec(rest)?.[1];
}
