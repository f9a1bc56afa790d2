/**
 * UAPI `DNS::parse_zone`, `DNS::mass_edit_zone`, `DNS::has_local_authority` as a cPanel user
 * (docs/reference/cpanel-api.md §5, §6, §7.5).
 */
import { toParseZonePayload } from '../../zone/payloadWriter';
import { requireArg, requireList, type UapiCall } from '../context';
import { SimApiError, type UapiSuccess } from '../envelopes';
import { localAuthorityRows } from '../localAuthority';
import { performMassEdit } from '../massEdit';
import { messages } from '../messages';
import { userAllowedTypes, ZONE_EDIT_FEATURES } from '../recordTypes';
import { loadZone, userOwnsZone } from '../zoneAccess';

/** §5.1: any of the user's zones; no feature needed (v120). */
export async function parseZone({ ctx, user, params }: UapiCall): Promise<UapiSuccess> {
  const zone = requireArg(params, 'zone');
  const loaded = (await userOwnsZone(ctx, user, zone)) ? await loadZone(ctx, zone) : null;
  if (!loaded) throw new SimApiError(messages.notYourZone(zone));
  return { data: toParseZonePayload(loaded.zone) };
}

/** §6: feature-gated (§6.6), then the shared validation pipeline (§10.4). */
export async function massEditZone({ ctx, user, params }: UapiCall): Promise<UapiSuccess> {
  const features = ctx.directory.account(user)?.features ?? [];
  if (!ZONE_EDIT_FEATURES.some((f) => features.includes(f))) throw new SimApiError(messages.missingFeatures(ZONE_EDIT_FEATURES));
  const result = await performMassEdit(ctx, params, {
    authority: { kind: 'user', allowed: userAllowedTypes(features) },
    mayEdit: (zone) => userOwnsZone(ctx, user, zone),
    notFound: messages.notYourZone,
  });
  return { data: result };
}

export async function hasLocalAuthority({ ctx, user, params }: UapiCall): Promise<UapiSuccess> {
  const domains = requireList(params, 'domain');
  return { data: await localAuthorityRows(ctx, domains, (zone) => userOwnsZone(ctx, user, zone)) };
}
