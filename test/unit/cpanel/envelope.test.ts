import { expectUapi, expectWhm } from '../../../src/adapters/cpanel/envelope';
import { displayMessage } from '../../../src/adapters/cpanel/classify';
import { FixEmailAuthError, type ErrorCode } from '../../../src/errors';
import * as s from './samples';

const ctx = { call: 'test', step: 'read' as const };

function failureOf(run: () => unknown): FixEmailAuthError {
  try {
    run();
  } catch (err) {
    if (err instanceof FixEmailAuthError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('UAPI envelopes (docs/reference/cpanel-api.md §4.1, §4.2)', () => {
  it('when a bare success arrives, then its data is returned and empty message lists are []', () => {
    const result = expectUapi(s.uapiSuccessBare, 'bare', ctx);
    expect(result.status).toBe(1);
    expect(result.data).toEqual(s.uapiSuccessBare.data);
    expect(result.errors).toEqual([]);
    expect(result.metadata).toEqual({ transformed: 1 });
  });

  it('when the wrapped CLI form arrives, then the inner result is read', () => {
    const result = expectUapi(s.uapiWrappedParseZone, 'wrapped', ctx);
    expect(result.data).toEqual(s.uapiWrappedParseZone.result.data);
  });

  it('when the zone is not the user’s, then NOT_OWNED carries cPanel’s exact text with curly quotes and the raw answer', () => {
    const err = failureOf(() => expectUapi(s.uapiNotOwned, 'bare', ctx));
    expect(err.code).toBe('NOT_OWNED');
    expect(err.message).toBe('You do not control a DNS zone named “nope.example”.');
    expect(err.upstream).toBe(s.uapiNotOwned);
    expect(err.step).toBe('read');
  });

  it('when a UAPI answer is the bare form but the wrapped one was expected, then it is TRANSPORT (not an API answer)', () => {
    const err = failureOf(() => expectUapi(s.uapiSuccessBare, 'wrapped', ctx));
    expect(err.code).toBe('TRANSPORT');
  });

  it('when the wrapped form carries a failure, then it is classified like the bare one', () => {
    const err = failureOf(() => expectUapi({ apiversion: 3, func: 'parse_zone', module: 'DNS', result: s.uapiNotOwned }, 'wrapped', ctx));
    expect(err.code).toBe('NOT_OWNED');
  });
});

describe('WHM API 1 envelope (docs/reference/cpanel-api.md §4.3)', () => {
  it('when a success arrives, then data and reason are returned', () => {
    const result = expectWhm(s.whmListzones, ctx);
    expect(result.data).toEqual(s.whmListzones.data);
    expect(result.reason).toBe('OK');
    expect(result.command).toBe('listzones');
  });

  it('when a list function omits data, then data is undefined rather than an error', () => {
    expect(expectWhm(s.listacctsEmpty, ctx).data).toBeUndefined();
  });

  it('when WHM fails with an XID, then the display message drops the prefix and upstream keeps it', () => {
    const err = failureOf(() => expectWhm(s.whmNoSuchDomain, ctx));
    expect(err.code).toBe('NOT_OWNED');
    expect(err.message).toBe('This system does not have a domain named “nope.example”.');
    expect((err.upstream as typeof s.whmNoSuchDomain).metadata.reason).toContain('(XID 7g2kqe)');
  });

  it('when the body is not an envelope at all, then it is TRANSPORT', () => {
    expect(failureOf(() => expectWhm({ cpanelresult: {} }, ctx)).code).toBe('TRANSPORT');
    expect(failureOf(() => expectWhm('<html>', ctx)).code).toBe('TRANSPORT');
  });
});

describe('uapi_cpanel (docs/reference/cpanel-api.md §2.1)', () => {
  it('when the inner call succeeded, then the inner UAPI result is returned', () => {
    expect(expectUapi(s.uapiCpanelSuccess, 'uapi_cpanel', ctx, 'alice').data).toEqual([]);
  });

  it('when metadata.result is 1 but data.uapi.status is 0, then the inner failure is raised (gotcha §9.1)', () => {
    const err = failureOf(() => expectUapi(s.uapiCpanelInnerFailure, 'uapi_cpanel', ctx, 'alice'));
    expect(err.code).toBe('NOT_OWNED');
    expect(err.message).toBe('You do not control a DNS zone named “nope.example”.');
  });

  it('when the outer envelope fails for an unknown user, then it is NOT_OWNED with the exact text', () => {
    const body = s.whmFailure('uapi_cpanel', 'The user “mallory” does not exist.');
    const err = failureOf(() => expectUapi(body, 'uapi_cpanel', ctx, 'mallory'));
    expect(err.code).toBe('NOT_OWNED');
    expect(err.message).toBe('The user “mallory” does not exist.');
  });

  it('when the outer envelope fails for another reason, then it stays an API_ERROR', () => {
    const body = s.whmFailure('uapi_cpanel', 'Permission denied.');
    expect(failureOf(() => expectUapi(body, 'uapi_cpanel', ctx, 'alice')).code).toBe('API_ERROR');
  });

  it('when the outer success has no data.uapi, then it is TRANSPORT', () => {
    const body = { metadata: { command: 'uapi_cpanel', reason: 'OK', result: 1, version: 1 }, data: {} };
    expect(failureOf(() => expectUapi(body, 'uapi_cpanel', ctx, 'alice')).code).toBe('TRANSPORT');
  });
});

describe('typed failures are recognised by data, not text (docs/reference/cpanel-api.md §6.4)', () => {
  it('when UAPI says data.type Stale, then STALE_SERIAL with the text unchanged (’ included)', () => {
    const err = failureOf(() => expectUapi(s.uapiStale, 'bare', ctx));
    expect(err.code).toBe('STALE_SERIAL');
    expect(err.message).toBe(s.staleText);
  });

  it('when WHM says data.type Stale, then STALE_SERIAL from metadata.reason', () => {
    const err = failureOf(() => expectWhm(s.whmStale, ctx));
    expect(err.code).toBe('STALE_SERIAL');
    expect(err.message).toBe(s.staleText);
  });

  it('when the Stale text comes without data.type, then it is not mistaken for STALE_SERIAL', () => {
    expect(failureOf(() => expectUapi(s.uapiFailure(s.staleText), 'bare', ctx)).code).toBe('API_ERROR');
  });

  it('when data.type is InvalidZoneFile, then INVALID_ZONE', () => {
    expect(failureOf(() => expectUapi(s.uapiInvalidZone, 'bare', ctx)).code).toBe('INVALID_ZONE');
    const whm = {
      metadata: { command: 'mass_edit_dns_zone', result: 0, version: 1, reason: 'bad zone' },
      data: { type: 'InvalidZoneFile', detail: null },
    };
    expect(failureOf(() => expectWhm(whm, ctx)).code).toBe('INVALID_ZONE');
  });
});

describe('validation texts of §6.5 and §4.1', () => {
  const cases: Array<[string, ErrorCode, ErrorCode]> = [
    // [text, code through UAPI, code through WHM]
    ['Provide the “zone” argument.', 'API_ERROR', 'API_ERROR'],
    ['The “zone” argument cannot be empty.', 'API_ERROR', 'API_ERROR'],
    ['You must provide at least one change to the DNS zone.', 'API_ERROR', 'API_ERROR'],
    ['Each “remove” must be a nonnegative integer.', 'API_ERROR', 'API_ERROR'],
    ['Each “add” must be an object.', 'API_ERROR', 'API_ERROR'],
    ['Each “add” requires “dname”, “ttl”, “record_type”, and “data”.', 'API_ERROR', 'API_ERROR'],
    ['“data” must be an array.', 'API_ERROR', 'API_ERROR'],
    ['Time-To-Live (TTL) values must be positive integers, not “x”.', 'API_ERROR', 'API_ERROR'],
    ['“FOO” is not a valid DNS resource record type.', 'API_ERROR', 'API_ERROR'],
    ['No record exists at line 42 in the “example.com” DNS zone.', 'API_ERROR', 'API_ERROR'],
    ['You submitted multiple edits for line index 19. This interface forbids multiple edits per line.', 'API_ERROR', 'API_ERROR'],
    ['You gave “é” as “TXT” record data item #1. This value must contain only printable ASCII characters.', 'API_ERROR', 'API_ERROR'],
    [
      'This system forbids direct updates to the SOA record’s serial number. Provide the old serial number (2024030101) instead, and the system will upate the serial number for you.',
      'API_ERROR',
      'API_ERROR',
    ],
    ['You do not have the features “simplezoneedit”, “zoneedit”, or “changemx”.', 'FEATURE_MISSING', 'FEATURE_MISSING'],
    [
      'This interface cannot create “NS” records. It can only create A, AAAA, CAA, CNAME, MX, SRV, and TXT records.',
      'FEATURE_MISSING',
      'API_ERROR',
    ],
    [
      'Line 11 contains a record of type “NS”. You cannot edit or remove “NS” records. You can only edit or remove A and CNAME records.',
      'FEATURE_MISSING',
      'API_ERROR',
    ],
    ['You do not control a DNS zone named “bob.example”.', 'NOT_OWNED', 'NOT_OWNED'],
  ];

  it.each(cases)('when cPanel answers “%s”, then UAPI gives %s and WHM gives %s, message kept exactly', (text, uapiCode, whmCode) => {
    const viaUapi = failureOf(() => expectUapi(s.uapiFailure(text), 'bare', ctx));
    expect([viaUapi.code, viaUapi.message]).toEqual([uapiCode, text]);
    const viaWhm = failureOf(() => expectWhm(s.whmFailure('mass_edit_dns_zone', text), ctx));
    expect([viaWhm.code, viaWhm.message]).toEqual([whmCode, text]);
  });

  it('when status is 0 without any error text, then the message says which call failed', () => {
    const err = failureOf(() =>
      expectUapi({ status: 0, errors: null, data: null, metadata: {} }, 'bare', { call: 'DNS::parse_zone', step: 'read' }),
    );
    expect(err.message).toBe('DNS::parse_zone failed without an error message');
  });

  it('when the XID prefix is stripped for display, then nothing else of the text changes', () => {
    expect(displayMessage('API failure: (XID 7g2kqe) Zone does not exist.')).toBe('Zone does not exist.');
    expect(displayMessage('Zone (XID x) stays')).toBe('Zone (XID x) stays');
  });
});
