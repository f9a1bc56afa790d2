/**
 * What every simulated API function can reach: the directory of accounts, the zone files, the
 * server's identity, the clock, the XID generator and the test knobs.
 */
import type { Directory, WhmCaller } from './directory';
import type { ServerSpec } from './seed';
import type { ZoneFiles } from './zoneFiles';
import type { MassEditHooks } from './massEditHooks';
import type { RequestParams } from './params';
import { SimApiError } from './envelopes';
import { messages } from './messages';

/** What has_local_authority reports for a zone (seed `localAuthority`/`publicNameservers`). */
export interface ZoneAuthority {
  localAuthority: 0 | 1;
  /** Nameservers the world sees; undefined = the zone's own NS records. */
  publicNameservers?: string[];
}

export interface SimContext {
  directory: Directory;
  zones: ZoneFiles;
  server: ServerSpec;
  authority: Map<string, ZoneAuthority>;
  clock: () => Date;
  /** IANA time zone of "today" in the serial bump; undefined = UTC (cPanel uses the server's, unverified). */
  timeZone?: string;
  xid: () => string;
  massEditHooks: MassEditHooks;
  /** `new_serial` as a JSON number (the documented sample) or string (§6.3, §9.5). */
  newSerialType: 'number' | 'string';
  /** After a zone file was written: reload PowerDNS when attached (cPanel's RELOADBIND). */
  afterZoneWrite(zone: string): Promise<void>;
}

/** A UAPI function runs as one cPanel user. */
export interface UapiCall {
  ctx: SimContext;
  user: string;
  params: RequestParams;
}

export interface WhmCall {
  ctx: SimContext;
  caller: WhmCaller;
  params: RequestParams;
}

/** A required scalar argument, with cPanel's two argument errors (§4.1). */
export function requireArg(params: RequestParams, name: string): string {
  const value = params.get(name);
  if (value === undefined) throw new SimApiError(messages.missingArgument(name));
  if (value === '') throw new SimApiError(messages.emptyArgument(name));
  return value;
}

/** A required list argument (`domain=a&domain=b`, `domain-1=…`). */
export function requireList(params: RequestParams, name: string): string[] {
  const values = params.list(name);
  if (values.length === 0) throw new SimApiError(messages.missingArgument(name));
  if (values.some((v) => v === '')) throw new SimApiError(messages.emptyArgument(name));
  return values;
}
