/**
 * The one envelope every `jetbackup5api -O json` call prints (docs/reference/jetbackup-and-exim.md §1.1):
 * `{"success":1|0, "message":"…", "data":{…}|[…], "system":{…}}`. We decide from it, never from the
 * process exit code (unverified what it is on `success: 0`).
 */
import { z } from 'zod';

const successFlag = z
  .union([z.literal(1), z.literal(0), z.literal('1'), z.literal('0'), z.boolean()])
  .transform((flag) => flag === 1 || flag === '1' || flag === true);

export const envelopeSchema = z.object({
  success: successFlag,
  message: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((message) => (message === null || message === undefined ? '' : String(message))),
  /** `{}`, `[]`, an object or a list; each function's parser decides (schemas.ts). */
  data: z.unknown().optional(),
  /** Version, tier, licence flags; value types unverified, kept only for logs. */
  system: z.unknown().optional(),
});

export type JetBackupEnvelope = z.output<typeof envelopeSchema>;

export type EnvelopeParse = { ok: true; envelope: JetBackupEnvelope } | { ok: false; problem: string };

function parseJsonLeniently(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    // A PHP notice or a banner before or after the JSON must not hide a valid answer.
    const start = trimmed.indexOf('{');
    const end = trimmed.lastIndexOf('}');
    if (start < 0 || end <= start) throw new SyntaxError('no JSON object in the output');
    return JSON.parse(trimmed.slice(start, end + 1));
  }
}

export function parseEnvelope(stdout: string): EnvelopeParse {
  if (stdout.trim() === '') return { ok: false, problem: 'empty output' };
  let json: unknown;
  try {
    json = parseJsonLeniently(stdout);
  } catch (err) {
    return { ok: false, problem: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  const result = envelopeSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    return { ok: false, problem: `not a JetBackup envelope (${issues})` };
  }
  return { ok: true, envelope: result.data };
}
