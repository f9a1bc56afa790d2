/**
 * The JSON samples of /work/shared/reference/cpanel-api.md, verbatim (section in each name), so the
 * envelope and payload tests read exactly what the reference says cPanel sends.
 */
import { REFERENCE_TRIMMED_ITEMS } from '../../fixtures/reference/parseZone';

export const uapiSuccessBare = {
  status: 1,
  errors: null,
  messages: null,
  warnings: null,
  metadata: { transformed: 1 },
  data: [{ line_index: 2, type: 'control', text_b64: 'JFRUTCAxNDQwMA==' }],
}; // §4.1

export const uapiNotOwned = {
  status: 0,
  errors: ['You do not control a DNS zone named “nope.example”.'],
  messages: null,
  warnings: null,
  metadata: {},
  data: null,
}; // §4.1, §5.1

/** §4.2 / §5.3 docs sample (wrapped). */
export const uapiWrappedParseZone = {
  apiversion: 3,
  func: 'parse_zone',
  module: 'DNS',
  result: {
    data: [
      { line_index: 22, type: 'record', data_b64: ['dGV4YXMuY29tLg=='], dname_b64: 'dGV4YXMuY29tLg==', record_type: 'MX', ttl: 14400 },
    ],
    errors: null,
    messages: null,
    metadata: { transformed: 1 },
    status: 1,
    warnings: null,
  },
};

export const whmListzones = {
  metadata: { command: 'listzones', reason: 'OK', result: 1, version: 1 },
  data: { zone: [{ domain: 'example.com', zonefile: 'example.com.db' }] },
}; // §4.3, §7.3

export const whmNoSuchDomain = {
  metadata: {
    command: 'parse_dns_zone',
    result: 0,
    version: 1,
    reason: 'API failure: (XID 7g2kqe) This system does not have a domain named “nope.example”.',
  },
}; // §4.3

export const uapiCpanelSuccess = {
  metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 },
  data: { uapi: { status: 1, errors: null, messages: null, warnings: null, metadata: { transformed: 1 }, data: [] } },
}; // §2.1

/** §2.1 gotcha: outer result 1, inner status 0. */
export const uapiCpanelInnerFailure = {
  metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 },
  data: { uapi: uapiNotOwned },
};

export const staleText =
  'The given serial number (2021031901) does not match the DNS zone’s serial number (2021031903). Refresh your view of the DNS zone, then resubmit.';

export const uapiStale = {
  status: 0,
  errors: [staleText],
  messages: null,
  warnings: null,
  metadata: {},
  data: { type: 'Stale', detail: null },
}; // §6.4

export const whmStale = {
  metadata: { command: 'mass_edit_dns_zone', result: 0, version: 1, reason: staleText },
  data: { type: 'Stale', detail: null },
}; // §6.4

export const uapiInvalidZone = {
  status: 0,
  errors: ['The DNS zone would be invalid.'],
  messages: null,
  warnings: null,
  metadata: {},
  data: { type: 'InvalidZoneFile', detail: { by_line: [] } },
}; // §6.4 (text and by_line shape unverified)

export const uapiMassEditOk = { status: 1, errors: null, messages: null, warnings: null, metadata: {}, data: { new_serial: 2021031903 } }; // §6.3
export const whmMassEditOk = {
  metadata: { command: 'mass_edit_dns_zone', reason: 'OK', result: 1, version: 1 },
  data: { new_serial: 2021031903 },
}; // §6.3

export const listacctsSample = {
  data: {
    acct: [
      {
        user: 'alice',
        domain: 'alice.example',
        owner: 'root',
        suspended: 0,
        suspendreason: 'not suspended',
        plan: 'default',
        theme: 'jupiter',
        ip: '192.0.2.10',
        ipv6: [],
        email: 'a@x.tld',
        unix_startdate: 1700000000,
      },
    ],
  },
  metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 },
}; // §7.1

/** §7.1 / §4.3: zero rows → no `data` key. */
export const listacctsEmpty = { metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 } };

export const getDomainInfoSample = {
  data: {
    domains: [
      {
        domain: 'alice.example',
        user: 'alice',
        user_owner: 'root',
        domain_type: 'main',
        parent_domain: 'alice.example',
        docroot: '/home/alice/public_html',
        ipv4: '192.0.2.10',
        port: '80',
        ipv4_ssl: '192.0.2.10',
        port_ssl: '443',
        ipv6: null,
        ipv6_is_dedicated: 0,
        modsecurity_enabled: 1,
        php_version: 'ea-php82',
      },
      { domain: 'shop.alice.example', user: 'alice', user_owner: 'root', domain_type: 'sub', parent_domain: 'alice.example' },
    ],
  },
  metadata: { command: 'get_domain_info', reason: 'OK', result: 1, version: 1 },
}; // §7.2

export const listDomainsSample = {
  status: 1,
  errors: null,
  messages: null,
  warnings: null,
  metadata: {},
  data: { main_domain: 'alice.example', addon_domains: ['addon.tld'], parked_domains: ['alias.tld'], sub_domains: ['shop.alice.example'] },
}; // §7.4

/** UAPI has_local_authority docs sample (wrapped, cpanel.openapi). */
export const uapiLocalAuthorityWrapped = {
  apiversion: 3,
  func: 'has_local_authority',
  module: 'DNS',
  result: {
    data: [
      { domain: 'example.com', local_authority: 1, nameservers: ['ns1.example.com', 'ns2.example.com'], zone: 'example.com' },
      { domain: 'example2.com', local_authority: 0, nameservers: [] },
      {
        domain: 'example3.com',
        error: '(XID 3z756a) DNS query (example3.com/SOA) timeout!',
        local_authority: 0,
        nameservers: [],
        zone: 'example3.com',
      },
    ],
    errors: null,
    messages: null,
    metadata: { transformed: 1 },
    status: 1,
    warnings: null,
  },
};

/** WHM has_local_authority docs sample (`data.records`). */
export const whmLocalAuthority = {
  data: {
    records: [{ domain: 'example.com', local_authority: 1, nameservers: ['ns1.example.com', 'ns2.example.com'], zone: 'example.com' }],
  },
  metadata: { command: 'has_local_authority', reason: 'OK', result: 1, version: 1 },
};

/** §5.5 trimmed UAPI parse_zone answer of the fixture. */
export const parseZoneFixture = {
  status: 1,
  errors: null,
  messages: null,
  warnings: null,
  metadata: { transformed: 1 },
  data: REFERENCE_TRIMMED_ITEMS,
};

/** §6.5 validation failures as UAPI answers. */
export function uapiFailure(text: string): unknown {
  return { status: 0, errors: [text], messages: null, warnings: null, metadata: {}, data: null };
}

/** The same failure as WHM puts it (uncaught → XID prefix, §4.3). */
export function whmFailure(command: string, text: string, xid = 'abc123'): unknown {
  return { metadata: { command, result: 0, version: 1, reason: `API failure: (XID ${xid}) ${text}` } };
}
