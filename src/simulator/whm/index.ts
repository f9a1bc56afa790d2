/**
 * WHM API 1 dispatch: `/json-api/<function>?api.version=1` (docs/reference/cpanel-api.md §2, §4.3).
 */
import type { WhmCaller } from '../directory';
import type { SimContext, WhmCall } from '../context';
import { SimApiError, whmFailure, whmOk, type WhmResult } from '../envelopes';
import { messages } from '../messages';
import type { RequestParams } from '../params';
import { getDomainInfo, listaccts, listzones, verifyUserHasFeature } from './accounts';
import type { WhmReply } from './reply';
import { uapiCpanel } from './uapiCpanel';
import { exportZoneFiles, hasLocalAuthority, massEditDnsZone, parseDnsZone } from './zones';

type WhmFunction = (call: WhmCall) => Promise<WhmReply>;

const FUNCTIONS: Record<string, WhmFunction> = {
  parse_dns_zone: parseDnsZone,
  mass_edit_dns_zone: massEditDnsZone,
  has_local_authority: hasLocalAuthority,
  export_zone_files: exportZoneFiles,
  listaccts,
  get_domain_info: getDomainInfo,
  listzones,
  uapi_cpanel: uapiCpanel,
  verify_user_has_feature: verifyUserHasFeature,
};

export function isWhmFunction(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, name);
}

export async function runWhm(ctx: SimContext, caller: WhmCaller, fn: string, params: RequestParams): Promise<WhmResult> {
  const implementation = isWhmFunction(fn) ? FUNCTIONS[fn] : undefined;
  try {
    if (!implementation) throw new SimApiError(messages.unknownWhmFunction(fn));
    const reply = await implementation({ ctx, caller, params });
    return whmOk(fn, reply.data, reply.reason);
  } catch (err) {
    const error = err instanceof SimApiError ? err : new SimApiError(err instanceof Error ? err.message : String(err));
    return whmFailure(fn, error, ctx.xid);
  }
}
