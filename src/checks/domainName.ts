/**
 * Domain names as the checks accept them. A check is pure, but a caller may still hand it garbage
 * (a CLI argument, a value from a hook): that is refused with a typed error, never a crash.
 */
import { FixEmailAuthError } from '../errors';
import { normalizeDomain } from '../zone/model';

/** RFC 1035 §2.3.4: at most 253 characters in text form, 63 per label. `_` is allowed (SRV-style owners). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lower-cased, without the final dot; throws BAD_INPUT when it is not a host name. */
export function checkedDomain(domain: string, what = 'domain'): string {
  if (typeof domain !== 'string') throw new FixEmailAuthError('BAD_INPUT', `The ${what} must be a text value.`);
  const name = normalizeDomain(domain);
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label))) {
    const shown = domain.length > 80 ? `${domain.slice(0, 80)}…` : domain;
    throw new FixEmailAuthError('BAD_INPUT', `“${shown}” is not a valid ${what} name.`);
  }
  return name;
}

/** True when `domain` is the zone apex or a name under it (both already normalized). */
export function isWithinZone(domain: string, zone: string): boolean {
  return domain === zone || domain.endsWith(`.${zone}`);
}

/** Domain and zone, validated, and the domain inside the zone (a sub-domain lives in its parent's zone). */
export function domainInZone(domain: string, zoneName: string): { domain: string; zone: string } {
  const d = checkedDomain(domain);
  const z = checkedDomain(zoneName, 'zone');
  if (!isWithinZone(d, z)) {
    throw new FixEmailAuthError('BAD_INPUT', `The domain ${d} is not inside the zone ${z}.`);
  }
  return { domain: d, zone: z };
}
