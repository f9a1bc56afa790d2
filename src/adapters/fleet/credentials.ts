/**
 * What a server keeps after joining a fleet: the controller's address, its server id and its Ed25519
 * private key, in one root-only file (0600, written atomically: a temporary file in the same
 * directory, fsync, rename). The private key never leaves this file; the controller has only the
 * public half.
 */
import { closeSync, fsyncSync, lstatSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'fs';
import { dirname, join } from 'path';
import { z } from 'zod';
import { FixEmailAuthError } from '../../errors';

export const fleetCredentialsSchema = z
  .object({
    controllerUrl: z.string().url(),
    serverId: z.number().int().positive(),
    name: z.string().min(1),
    privateKeyPem: z.string().includes('PRIVATE KEY'),
    /** PEM of the CA (or the certificate) the controller's HTTPS answer must chain to; default the system's. */
    caFile: z.string().optional(),
    joinedAt: z.string(),
  })
  .strict();

export type FleetCredentials = z.infer<typeof fleetCredentialsSchema>;

/** The credentials, or null when this server has not joined a fleet. */
export function readFleetCredentials(path: string): FleetCredentials | null {
  let text: string;
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) throw new FixEmailAuthError('UNSAFE_VALUE', `${path} is not a regular file`, { step: 'config' });
    if ((stat.mode & 0o077) !== 0)
      throw new FixEmailAuthError('UNSAFE_VALUE', `${path} holds a private key and must be readable by root only (chmod 600)`, {
        step: 'config',
      });
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FixEmailAuthError('CONFIG_INVALID', `${path} is not valid JSON`, { step: 'config' });
  }
  const result = fleetCredentialsSchema.safeParse(parsed);
  if (!result.success) throw new FixEmailAuthError('CONFIG_INVALID', `${path} is not a fleet credentials file`, { step: 'config' });
  return result.data;
}

export function writeFleetCredentials(path: string, credentials: FleetCredentials): void {
  const temp = join(dirname(path), `.fleet-${process.pid}-${Date.now()}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(credentials, null, 2)}\n`);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(temp);
    throw err;
  }
  closeSync(fd);
  renameSync(temp, path);
}
