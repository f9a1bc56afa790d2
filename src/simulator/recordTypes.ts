/**
 * Record types: which ones exist and which ones a caller may touch (docs/reference/cpanel-api.md §6.6).
 */

/** Types cPanel's zone code knows (RFC 1035/3596 and later); anything else is "not a valid type". */
export const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'A',
  'AAAA',
  'AFSDB',
  'CAA',
  'CDNSKEY',
  'CDS',
  'CNAME',
  'DNAME',
  'DNSKEY',
  'DS',
  'HINFO',
  'HTTPS',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'NSEC',
  'NSEC3',
  'NSEC3PARAM',
  'PTR',
  'RP',
  'RRSIG',
  'SOA',
  'SPF',
  'SRV',
  'SSHFP',
  'SVCB',
  'TLSA',
  'TXT',
]);

/** WHM `mass_edit_dns_zone` may create these (v120); other known types → "cannot create". */
export const WHM_CREATABLE: readonly string[] = [
  'A',
  'AAAA',
  'AFSDB',
  'CAA',
  'CNAME',
  'DNAME',
  'DS',
  'HINFO',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'RP',
  'SRV',
  'TLSA',
  'TXT',
];

/** The features that open UAPI zone editing at all (§10.4 step 0). */
export const ZONE_EDIT_FEATURES: readonly string[] = ['simplezoneedit', 'zoneedit', 'changemx'];

/**
 * The types a cPanel user may add, edit or remove through UAPI, from the account's features (§6.6):
 * zoneedit → A AAAA CAA CNAME SRV TXT; simplezoneedit → A CNAME; changemx → MX. Sorted, as the
 * "It can only create …" message lists them.
 */
export function userAllowedTypes(features: readonly string[]): string[] {
  const allowed = new Set<string>();
  if (features.includes('zoneedit')) for (const t of ['A', 'AAAA', 'CAA', 'CNAME', 'SRV', 'TXT']) allowed.add(t);
  if (features.includes('simplezoneedit')) for (const t of ['A', 'CNAME']) allowed.add(t);
  if (features.includes('changemx')) allowed.add('MX');
  return [...allowed].sort();
}

/** Who is editing: a cPanel user (feature-gated types) or WHM (no feature gate, §6.6). */
export type EditAuthority = { kind: 'user'; allowed: readonly string[] } | { kind: 'whm' };

export function creatableTypes(authority: EditAuthority): readonly string[] {
  return authority.kind === 'user' ? authority.allowed : WHM_CREATABLE;
}

/** Types whose existing records the caller may edit or remove. WHM: any (SOA/NS rules come later). */
export function mayEditOrRemove(authority: EditAuthority, type: string): boolean {
  return authority.kind === 'whm' || authority.allowed.includes(type);
}
