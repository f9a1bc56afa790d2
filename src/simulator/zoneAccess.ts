/**
 * Reading a zone for an API call: which zones a caller may touch, and the zone parsed fresh from
 * its file (the files are the truth; never cached).
 */
import { parseZoneFile } from '../zone/bindReader';
import type { Zone } from '../zone/model';
import type { SimContext } from './context';
import type { WhmCaller } from './directory';
import { isSafeZoneName } from './zoneFiles';

export interface LoadedZone {
  /** The file's bytes as a latin1 string. */
  text: string;
  zone: Zone;
}

/** Parse the zone file; null when there is no file. A file cPanel could not parse is a server fault. */
export async function loadZone(ctx: SimContext, zone: string): Promise<LoadedZone | null> {
  const text = await ctx.zones.read(zone);
  if (text === null) return null;
  return { text, zone: parseZoneFile(text, zone) };
}

/** UAPI: the zone is one of the user's (main/addon/parked domain, §5.1) and has a file. */
export async function userOwnsZone(ctx: SimContext, user: string, zone: string): Promise<boolean> {
  return isSafeZoneName(zone) && ctx.directory.zoneNamesOf(user).includes(zone) && (await ctx.zones.exists(zone));
}

/** WHM: the zone has a file and the caller may see it (root: any; reseller: its accounts' zones). */
export async function whmCanReachZone(ctx: SimContext, caller: WhmCaller, zone: string): Promise<boolean> {
  if (!isSafeZoneName(zone) || !(await ctx.zones.exists(zone))) return false;
  if (caller.isRoot) return true;
  const owner = ctx.directory.ownerOfZone(zone);
  return owner !== undefined && ctx.directory.canSee(caller, owner.user);
}
