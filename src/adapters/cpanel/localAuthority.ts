/**
 * `has_local_authority` rows → LocalAuthority (docs/reference/cpanel-api.md §7.5). cPanel marks a failed check with an
 * `error` (e.g. `(XID 3z756a) DNS query (example3.com/SOA) timeout!`) next to `local_authority: 0`; that
 * 0 means "could not tell", so such a row becomes `local: null`. `zone` is absent for a domain with no
 * local zone; we report it as `''`.
 */
import type { LocalAuthority } from '../../ports';
import { normalizeDomain } from '../../zone/model';
import type { z } from 'zod';
import type { localAuthorityRowSchema } from './schemas';

export function toLocalAuthority(row: z.output<typeof localAuthorityRowSchema>): LocalAuthority {
  const out: LocalAuthority = {
    domain: normalizeDomain(row.domain),
    zone: row.zone ? normalizeDomain(row.zone) : '',
    local: row.error ? null : row.local_authority === undefined || row.local_authority === null ? null : row.local_authority === 1,
    nameservers: row.nameservers ?? [],
  };
  if (row.error) out.error = row.error;
  return out;
}
