/**
 * The few header fields the relay double needs from a message, read from its raw bytes: the
 * `From:` domain (what Domain Lockdown checks, docs/reference/mailchannels.md §5 "Which domain is checked") and
 * the `X-AuthUser` value (the third field of the sender ID, §6.1).
 */
import addressparser from 'nodemailer/lib/addressparser';

export interface HeaderField {
  name: string;
  value: string;
}

/** The header block (up to the first empty line), unfolded (RFC 5322 §2.2.3), one entry per field. */
export function parseHeaderBlock(raw: Buffer | string): HeaderField[] {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const block = end < 0 ? text : text.slice(0, end);
  const fields: HeaderField[] = [];
  for (const line of block.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return fields;
}

export function headerValues(fields: readonly HeaderField[], name: string): string[] {
  const wanted = name.toLowerCase();
  return fields.filter((f) => f.name.toLowerCase() === wanted).map((f) => f.value);
}

/** Domain of an address, lower-cased, without a final dot; null when there is none. */
export function domainOf(address: string | null | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  if (at < 0) return null;
  const domain = address
    .slice(at + 1)
    .trim()
    .replace(/\.$/, '')
    .toLowerCase();
  return domain === '' ? null : domain;
}

/** The first address of the first `From:` field (a From: with several mailboxes is rare; the first is the author). */
export function fromHeaderAddress(fields: readonly HeaderField[]): string | null {
  const value = headerValues(fields, 'From')[0];
  if (value === undefined) return null;
  const first = addressparser(value, { flatten: true })[0];
  return first?.address ? first.address : null;
}

/**
 * The `X-AuthUser` value. Exim's `headers_add` appends below the message's own header fields, so
 * when a message already carried a forged `X-AuthUser`, the last one is the one the sending MTA
 * added: that is the one we trust (project reading; what MailChannels does with two is not
 * documented). Empty → null (Exim writes an empty header when `$authenticated_id` is unset).
 */
export function authUserHeader(fields: readonly HeaderField[]): string | null {
  const values = headerValues(fields, 'X-AuthUser');
  const last = values[values.length - 1];
  return last === undefined || last === '' ? null : last;
}
