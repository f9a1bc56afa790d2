/**
 * DKIM check for cPanel's selector `default` (docs/reference/cpanel-plugins.md §10.2): the key record at
 * `default._domainkey.<domain>` exists, is a valid key record (RFC 6376 §3.6.1), and — when the
 * server's key is given — publishes that key.
 *
 * How codes combine: exactly one of DKIM_MISSING, DKIM_MALFORMED (then no comparison: a broken record
 * cannot be compared), DKIM_MISMATCH, DKIM_OK. Several TXT records at the selector count as malformed:
 * RFC 6376 §3.6.2.2 leaves the result undefined, and cPanel reports the same case as MULTIPLE.
 */
import { txtValue, type ZoneRecord } from '../zone/model';
import { checkedDomain } from './domainName';
import { dkimRecordFor, expectedPublicKey, publicKeyFromRecord, sameKey, type DkimPublicKey } from './dkimKey';
import { finding, type Finding } from './findings';
import { recordsAt, shown, toFindingRecord } from './records';
import { parseTagList, tagValue } from './tagList';

export const DKIM_SELECTOR = 'default';
/** RFC 8301 §3.2: verifiers must not accept RSA keys shorter than 1024 bits. */
export const MIN_RSA_BITS = 1024;

export interface DkimCheckInput {
  domain: string;
  records: readonly ZoneRecord[];
  /** The server's public key (PEM or bare base64), from /var/cpanel/domain_keys/public/<domain>. */
  expectedPublicKey?: string;
}

export function checkDkim(input: DkimCheckInput): Finding[] {
  const domain = checkedDomain(input.domain);
  const name = `${DKIM_SELECTOR}._domainkey.${domain}.`;
  const owner = name.slice(0, -1);
  const expected = input.expectedPublicKey === undefined ? undefined : expectedPublicKey(input.expectedPublicKey);
  const recommended = expected ? dkimRecordFor(expected) : undefined;
  const withRecommended = (d: Record<string, unknown> = {}) => (recommended ? { ...d, recommended } : d);

  const alias = recordsAt(input.records, name, 'CNAME')[0];
  if (alias) {
    return [
      finding(
        'DKIM_OK',
        'dkim',
        `The DKIM key of ${domain} is delegated to ${shown(alias.data[0] ?? '')}; it was not checked here.`,
        [toFindingRecord(alias)],
        {
          alias: alias.data[0] ?? '',
          unverified: true,
        },
      ),
    ];
  }
  const txt = recordsAt(input.records, name, 'TXT');
  if (txt.length === 0) {
    return [
      finding(
        'DKIM_MISSING',
        'dkim',
        `${domain} has no DKIM key at ${owner}, so receivers cannot verify its mail's signatures. Enable DKIM in cPanel's Email Deliverability.`,
        [],
        withRecommended({ name }),
      ),
    ];
  }
  if (txt.length > 1) {
    return [
      finding(
        'DKIM_MALFORMED',
        'dkim',
        `${owner} has ${txt.length} DKIM records; receivers may use either, so signatures can fail. Keep only one.`,
        txt.map(toFindingRecord),
        withRecommended({ count: txt.length }),
      ),
    ];
  }

  const record = txt[0] as ZoneRecord;
  const shownRecords = [toFindingRecord(record)];
  const read = readKeyRecord(txtValue(record));
  if (typeof read === 'string') {
    return [
      finding(
        'DKIM_MALFORMED',
        'dkim',
        `The DKIM record of ${domain} is not valid: ${read}.`,
        shownRecords,
        withRecommended({ problem: read }),
      ),
    ];
  }
  if (expected && !sameKey(read, expected)) {
    return [
      finding(
        'DKIM_MISMATCH',
        'dkim',
        `The DKIM key published for ${domain} is not the key this server signs with, so receivers will reject its signatures. Publish the server's key.`,
        shownRecords,
        withRecommended(),
      ),
    ];
  }
  return [finding('DKIM_OK', 'dkim', `The DKIM key of ${domain} is published${expected ? ' and matches the server' : ''}.`, shownRecords)];
}

/** The key of a key record, or the first reason the record is not valid (RFC 6376 §3.6.1). */
function readKeyRecord(value: string): DkimPublicKey | string {
  const list = parseTagList(value);
  if (list.problems.length > 0) return (list.problems[0] as string).replace(/\.$/, '');
  const v = tagValue(list, 'v');
  // "If specified, this tag MUST be set to "DKIM1" … This tag MUST be the first tag in the record."
  if (v !== undefined && (v !== 'DKIM1' || list.tags[0]?.name !== 'v')) return 'if "v=" is present it must come first and be "DKIM1"';
  const k = tagValue(list, 'k') ?? 'rsa';
  // RFC 6376 §3.6.1 (rsa) and RFC 8463 §3 (ed25519); a verifier ignores keys of unknown types.
  if (k !== 'rsa' && k !== 'ed25519') return `the key type "k=${shown(k)}" is not rsa or ed25519`;
  const s = tagValue(list, 's');
  if (s !== undefined && !s.split(':').some((t) => ['*', 'email'].includes(t.trim())))
    return `the service type "s=${shown(s)}" excludes email`;
  const p = tagValue(list, 'p');
  if (p === undefined) return 'the key (p=) is missing';
  if (p.trim() === '') return 'the key (p=) is empty, which means the key was revoked';
  const key = publicKeyFromRecord(p, k);
  if (typeof key === 'string') return key;
  const bits = key.bits;
  if (k === 'rsa' && bits !== undefined && bits < MIN_RSA_BITS)
    return `the RSA key has only ${bits} bits; receivers require at least ${MIN_RSA_BITS} (RFC 8301)`;
  return key;
}
