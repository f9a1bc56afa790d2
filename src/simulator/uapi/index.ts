/**
 * UAPI dispatch: `/execute/<Module>/<function>` as one cPanel user (docs/reference/cpanel-api.md §2, §4.1). Module
 * and function names are case-sensitive. Also used by WHM `uapi_cpanel` and `cpanel`, which run the
 * same functions as the named user (§2.1).
 */
import type { SimContext, UapiCall } from '../context';
import { SimApiError, uapiFailure, uapiOk, type UapiResult, type UapiSuccess } from '../envelopes';
import { messages } from '../messages';
import type { RequestParams } from '../params';
import { hasLocalAuthority, massEditZone, parseZone } from './dns';
import { listDomains } from './domainInfo';
import { addPop, deletePop, listPops } from './email';

type UapiFunction = (call: UapiCall) => Promise<UapiSuccess>;

const FUNCTIONS: Record<string, UapiFunction> = {
  'DNS/parse_zone': parseZone,
  'DNS/mass_edit_zone': massEditZone,
  'DNS/has_local_authority': hasLocalAuthority,
  'DomainInfo/list_domains': listDomains,
  'Email/list_pops': listPops,
  'Email/add_pop': addPop,
  'Email/delete_pop': deletePop,
};

export async function runUapi(ctx: SimContext, user: string, module: string, fn: string, params: RequestParams): Promise<UapiResult> {
  const implementation = FUNCTIONS[`${module}/${fn}`];
  try {
    if (!implementation) throw new SimApiError(messages.unknownUapiFunction(module, fn));
    return uapiOk(await implementation({ ctx, user, params }));
  } catch (err) {
    if (err instanceof SimApiError) return uapiFailure(err);
    // A bug in the simulator: report it the way cPanel reports an uncaught exception (no XID in UAPI).
    return uapiFailure(new SimApiError(err instanceof Error ? err.message : String(err)));
  }
}
