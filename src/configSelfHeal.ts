/**
 * The configuration sections of self-healing (following the mail log, notices, metrics), kept
 * beside src/config.ts so the main schema stays readable. Every key has a default: a server that
 * never mentions them follows the log, notifies owners and the admin, repairs nothing on its own
 * (`policy.autofix` is `off`) and exposes no metrics.
 */
import { z } from 'zod';

export const AUTOFIX_POLICIES = ['off', 'stale-after-migration', 'all-stale'] as const;
export type AutofixPolicy = (typeof AUTOFIX_POLICIES)[number];

/** A mail address we put in a header: plain `local@domain`, nothing a header or sendmail treats specially. */
const plainAddress = z
  .string()
  .max(254)
  .regex(/^[A-Za-z0-9._%+-]{1,64}(@[A-Za-z0-9.-]{1,253})?$/, 'a plain address like "root" or "admin@example.com"');

/** A base URL for links in notices: https only, no credentials, no query. */
const pageUrl = z
  .string()
  .max(300)
  .regex(/^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/, 'an https:// URL without query or credentials');

/** Only loopback: the metrics carry domain counts and must not be reachable from other hosts. */
const loopbackHost = z.enum(['127.0.0.1', '::1']);

export const selfHealSections = {
  follow: z
    .object({
      /** Follow `paths.eximMainlog` while the daemon runs and react to rejections as they are written. */
      enabled: z.boolean().default(true),
      /** Look at the log at least this often (a file-system watch usually wakes the follower sooner). */
      pollMs: z.number().int().min(50).max(60_000).default(1000),
      /** A domain is re-diagnosed at most once in this many seconds, however many rejections it gets. */
      recheckSeconds: z.number().int().min(1).max(86_400).default(60),
    })
    .strict()
    .prefault({}),
  notify: z
    .object({
      /** Mail account owners (cPanel's contact address) about their domains. Server-wide switch. */
      owners: z.boolean().default(true),
      /** Mail the admin a digest of rejections, automatic repairs and failures. */
      admin: z.boolean().default(true),
      /** Where the digest goes; `root` reaches the server contact on cPanel servers. */
      adminTo: plainAddress.default('root'),
      /** Envelope and header sender of notices; default `fix-email-auth@<this host's name>`. */
      from: plainAddress.optional(),
      /** At most one digest in this many minutes (none when nothing happened). */
      digestMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .default(60),
      /** The same notice (account, domain, kind) is not repeated within this many hours. */
      dedupeHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(24),
      /** Links in notices: cPanel's and WHM's addresses as customers and admins reach them. */
      cpanelUrl: pageUrl.optional(),
      whmUrl: pageUrl.optional(),
    })
    .strict()
    .prefault({}),
  metrics: z
    .object({
      /** Prometheus text on this Unix socket (0600 in a 0700 directory): root-only. */
      socket: z.string().min(1).optional(),
      /** …or on this TCP port of `host` (loopback only). */
      port: z.number().int().min(1).max(65535).optional(),
      host: loopbackHost.default('127.0.0.1'),
    })
    .strict()
    .prefault({}),
};
