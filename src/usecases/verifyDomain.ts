/**
 * `verify <domain>`: is what the zone holds at `_mailchannels.<domain>` what every authoritative
 * nameserver serves? Read-only; the same check a repair runs after its change.
 */
import type { PropagationReport } from '../adapters/dns/propagation';
import type { RepairContext } from './repair/context';
import { resolveOwnedDomain } from './repair/ownership';
import { apexNameservers, txtValuesAt } from './repair/verifyStep';

export async function verifyDomain(
  ctx: Pick<RepairContext, 'accounts' | 'zones' | 'verify'>,
  domain: string,
  options: { asUser?: string } = {},
): Promise<PropagationReport> {
  const info = await resolveOwnedDomain(ctx.accounts, domain, options.asUser);
  const zone = await ctx.zones.readZone(info.zone);
  const name = `_mailchannels.${info.domain}.`;
  const expected = txtValuesAt(zone, name);
  const nameservers = apexNameservers(zone);
  return ctx.verify({
    zone: zone.name,
    name,
    expectedTxt: expected.length ? expected : null,
    expectedSerial: zone.serial,
    ...(nameservers.length ? { nameservers } : {}),
  });
}
