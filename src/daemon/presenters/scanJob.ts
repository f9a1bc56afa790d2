/**
 * How a scan job names what it scanned. Its items are slices of the server's zones keyed by their
 * first zone (usecases/scan/job.ts), so the key alone would read as if one zone stood for the slice:
 * a slice is named by its first and last zone and how many it held, and the job by whose zones it read.
 */
import type { Job, JobItem } from '../../adapters/store';
import { plural } from '../viewHelpers';

interface SliceParams {
  users?: unknown;
  reseller?: unknown;
  zones?: unknown;
  bounds?: unknown;
}

interface SliceOutcome {
  zones?: unknown;
  firstZone?: unknown;
  lastZone?: unknown;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Whose zones the scan read: "Every account", "Accounts alice, bob", "Accounts of reseller resell", "Zone x". */
export function scanScope(job: Pick<Job, 'params'>): string {
  const p = (job.params ?? {}) as SliceParams;
  const users = strings(p.users);
  const zones = strings(p.zones);
  const parts: string[] = [];
  if (users.length) parts.push(`${users.length > 1 ? 'Accounts' : 'Account'} ${users.join(', ')}`);
  if (typeof p.reseller === 'string') parts.push(`accounts of reseller ${p.reseller}`);
  if (zones.length) parts.push(`${zones.length > 1 ? 'zones' : 'zone'} ${zones.join(', ')}`);
  if (parts.length === 0) return 'Every account on the server';
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * One slice in words: "a.example … f.example (250 zones)" once scanned; before that, the range its
 * bounds give ("zones from a.example, before g.example").
 */
export function sliceLabel(job: Pick<Job, 'params'>, item: Pick<JobItem, 'key' | 'result'>): string {
  const r = (item.result ?? {}) as SliceOutcome;
  const count = typeof r.zones === 'number' ? r.zones : null;
  if (typeof r.firstZone === 'string' && typeof r.lastZone === 'string' && count !== null) {
    const range = r.firstZone === r.lastZone ? r.firstZone : `${r.firstZone} … ${r.lastZone}`;
    return `${range} (${plural(count, 'zone')})`;
  }
  const bounds = strings(((job.params ?? {}) as SliceParams).bounds);
  const next = bounds[bounds.indexOf(item.key) + 1];
  return next ? `Zones from ${item.key}, before ${next}` : `Zones from ${item.key} to the last`;
}

/** Zones and domains the finished slices read, for the line above the table. */
export function scanTotals(items: readonly Pick<JobItem, 'result'>[]): { zones: number; domains: number } {
  let zones = 0;
  let domains = 0;
  for (const item of items) {
    const r = (item.result ?? {}) as { zones?: unknown; domains?: unknown };
    if (typeof r.zones === 'number') zones += r.zones;
    if (typeof r.domains === 'number') domains += r.domains;
  }
  return { zones, domains };
}
