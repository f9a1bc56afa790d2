/**
 * WHM `uapi_cpanel` and legacy `cpanel` (docs/reference/cpanel-api.md §2.1): run a UAPI function as a cPanel user.
 * The gotcha the client must handle: `metadata.result` is 1 whenever the user exists and the caller
 * may reach it, even when the UAPI function itself failed (`data.uapi.status` 0).
 */
import type { WhmCall } from '../context';
import { requireArg } from '../context';
import { SimApiError, wrapUapi } from '../envelopes';
import { messages } from '../messages';
import { runUapi } from '../uapi';
import type { WhmReply } from './reply';

function requireReachableUser(call: WhmCall, user: string): void {
  if (!call.ctx.directory.account(user)) throw new SimApiError(messages.noSuchUser(user));
  if (!call.ctx.directory.canSee(call.caller, user)) throw new SimApiError(messages.notYourAccount(user));
}

export async function uapiCpanel(call: WhmCall): Promise<WhmReply> {
  const user = requireArg(call.params, 'cpanel.user');
  const module = requireArg(call.params, 'cpanel.module');
  const fn = requireArg(call.params, 'cpanel.function');
  requireReachableUser(call, user);
  // Every other parameter goes to the UAPI function unchanged (§2.1).
  const inner = call.params.without(
    (name) => name.startsWith('api.') || ['cpanel.user', 'cpanel.module', 'cpanel.function'].includes(name),
  );
  return { data: { uapi: await runUapi(call.ctx, user, module, fn, inner) } };
}

/**
 * Legacy `/json-api/cpanel?cpanel_jsonapi_user=…&cpanel_jsonapi_apiversion=3&…` (§2.1): answers the
 * wrapped UAPI form (`apiversion`, `func`, `module`, `result`), not a WHM envelope. Only API 3 (UAPI)
 * is simulated. The user name must be lower-case.
 */
export async function legacyCpanel(call: WhmCall): Promise<Record<string, unknown>> {
  const user = requireArg(call.params, 'cpanel_jsonapi_user');
  const module = requireArg(call.params, 'cpanel_jsonapi_module');
  const fn = requireArg(call.params, 'cpanel_jsonapi_func');
  const version = call.params.get('cpanel_jsonapi_apiversion') ?? '2';
  if (version !== '3') throw new SimApiError(`The simulator only implements cpanel_jsonapi_apiversion=3 (UAPI), not ${version}.`);
  requireReachableUser(call, user);
  const inner = call.params.without((name) => name.startsWith('cpanel_jsonapi_') || name.startsWith('api.'));
  return wrapUapi(module, fn, await runUapi(call.ctx, user, module, fn, inner));
}
