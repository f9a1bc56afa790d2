/**
 * Step 4 of "Writing DNS safely": the zone is re-read and re-diagnosed, then every authoritative
 * nameserver is asked for the new TXT and the new serial. Servers that still serve the old answer are
 * polled for a short while (a DNS cluster peer may take seconds); a server that does not answer at
 * all is "unknown", never "failed" — the change is in the zone either way.
 */
import type { PropagationReport } from '../../adapters/dns/propagation';
import { txtValue, type Zone } from '../../zone/model';
import type { RepairContext } from './context';
import type { Emit } from './steps';

export interface VerifyOptions {
  /** How long to keep polling servers that still serve the old answer. */
  waitMs: number;
  intervalMs: number;
}

export const DEFAULT_VERIFY_OPTIONS: VerifyOptions = { waitMs: 15000, intervalMs: 1000 };

/** The zone's own NS set at the apex: the servers the world is told to ask. */
export function apexNameservers(zone: Zone): string[] {
  return zone.records
    .filter((r) => r.type === 'NS' && r.name === `${zone.name}.`)
    .map((r) => r.data[0] ?? '')
    .filter(Boolean);
}

export function txtValuesAt(zone: Zone, name: string): string[] {
  return zone.records.filter((r) => r.type === 'TXT' && r.name === name).map(txtValue);
}

export async function verifyOnNameservers(
  ctx: Pick<RepairContext, 'verify' | 'clock'>,
  input: { zone: Zone; name: string; expectedSerial: string; previousTtl?: number },
  emit: Emit,
  options: VerifyOptions = DEFAULT_VERIFY_OPTIONS,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<PropagationReport> {
  const nameservers = apexNameservers(input.zone);
  const expectedTxt = txtValuesAt(input.zone, input.name);
  const deadline = ctx.clock.now().getTime() + options.waitMs;
  emit('verify', 'start', `Asking ${nameservers.length} authoritative nameserver(s) for ${input.name}`);
  for (;;) {
    const report = await ctx.verify({
      zone: input.zone.name,
      name: input.name,
      expectedTxt: expectedTxt.length ? expectedTxt : null,
      expectedSerial: input.expectedSerial,
      ...(input.previousTtl !== undefined ? { previousTtl: input.previousTtl } : {}),
      ...(nameservers.length ? { nameservers } : {}),
    });
    if (report.state !== 'pending' || ctx.clock.now().getTime() + options.intervalMs > deadline) {
      emit('verify', report.state === 'verified' ? 'done' : 'warn', report.summary, { state: report.state });
      return report;
    }
    await sleep(options.intervalMs);
  }
}
