/**
 * The fleet controller's configuration: its own file (it runs on a host of its own, not on a cPanel
 * server), validated at start like the server's (src/config.ts), unknown keys refused.
 * The file's path comes from FIX_EMAIL_AUTH_FLEET_CONFIG (default /etc/fix-email-auth/fleet-controller.json);
 * FIX_EMAIL_AUTH_FLEET_DATABASE_URL overrides `database.url`. The smallest valid file is
 * `{"database": {"url": "postgres://fleet@/fleet"}}` (or `urlFile`: a 0600 file holding it, so a
 * password never sits in the config itself).
 */
import { readFileSync } from 'fs';
import { z } from 'zod';
import { FixEmailAuthError } from '../errors';

export const DEFAULT_FLEET_CONFIG_PATH = '/etc/fix-email-auth/fleet-controller.json';

export const fleetConfigSchema = z
  .object({
    database: z
      .object({
        /** A libpq connection string (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING). */
        url: z.string().min(1).optional(),
        /** A file holding the connection string (read at start). */
        urlFile: z.string().optional(),
        /** Connections per controller process. */
        poolSize: z.number().int().min(2).max(100).default(10),
      })
      .strict()
      .refine((d) => Boolean(d.url) !== Boolean(d.urlFile), { message: 'give exactly one of url and urlFile' }),
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8790),
      })
      .strict()
      .prefault({}),
    /** Serve HTTPS directly; without it, put the controller behind a TLS-terminating proxy. */
    tls: z.object({ certFile: z.string(), keyFile: z.string() }).strict().optional(),
    /** The address people and servers use (links in messages, the `Secure` cookie flag when https). */
    publicUrl: z.string().url().optional(),
    /** A server silent for longer than this is shown as stale, never as healthy. */
    staleAfterSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86400)
      .default(900),
    /** What the controller tells servers about how often to pull. */
    pollSeconds: z.number().int().min(1).max(3600).default(60),
    enrollmentTokenHours: z
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(24),
    sessionHours: z
      .number()
      .min(0.25)
      .max(24 * 7)
      .default(12),
    jobs: z
      .object({
        /** A job whose process died is handed to another after this long (pg-boss `expireInSeconds`). */
        expireSeconds: z.number().int().min(1).max(3600).default(300),
        /** How often a process looks for expired jobs (pg-boss `maintenanceIntervalSeconds`). */
        maintenanceSeconds: z.number().int().min(1).max(3600).default(30),
        /** How often an idle worker asks for work (pg-boss `pollingIntervalSeconds`). */
        pollSeconds: z.number().min(0.5).max(60).default(2),
        retryLimit: z.number().int().min(0).max(100).default(10),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type FleetConfig = z.infer<typeof fleetConfigSchema>;
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;

export function parseFleetConfig(input: unknown, source = 'fleet configuration'): FleetConfig {
  const result = fleetConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new FixEmailAuthError('CONFIG_INVALID', `Invalid ${source}: ${issues}`, { step: 'config' });
  }
  return result.data;
}

export function loadFleetConfig(env: NodeJS.ProcessEnv = process.env): FleetConfig {
  const path = env.FIX_EMAIL_AUTH_FLEET_CONFIG || DEFAULT_FLEET_CONFIG_PATH;
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || !env.FIX_EMAIL_AUTH_FLEET_DATABASE_URL)
      throw new FixEmailAuthError(
        'CONFIG_INVALID',
        code === 'ENOENT'
          ? `No fleet configuration at ${path} (set FIX_EMAIL_AUTH_FLEET_CONFIG, or FIX_EMAIL_AUTH_FLEET_DATABASE_URL)`
          : `Cannot read ${path}: ${(err as Error).message}`,
        { step: 'config' },
      );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new FixEmailAuthError('CONFIG_INVALID', `${path} must hold a JSON object`, { step: 'config' });
  if (env.FIX_EMAIL_AUTH_FLEET_DATABASE_URL)
    raw = { ...raw, database: { ...(raw.database as object), url: env.FIX_EMAIL_AUTH_FLEET_DATABASE_URL, urlFile: undefined } };
  return parseFleetConfig(raw, path);
}

/** The connection string, from the config or its file. */
export function databaseUrl(config: FleetConfig): string {
  if (config.database.url) return config.database.url;
  try {
    return readFileSync(config.database.urlFile!, 'utf8').trim();
  } catch (err) {
    throw new FixEmailAuthError('CONFIG_INVALID', `Cannot read database.urlFile: ${(err as Error).message}`, { step: 'config' });
  }
}
