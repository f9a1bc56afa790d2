/**
 * A stand-in for `/usr/sbin/plesk` that forwards `plesk bin <utility> <args…>` to a running Plesk
 * simulator through REST's `POST /api/v2/cli/<utility>/call` (the same utilities, run remotely), so
 * the adapter's local CLI transport is tested end to end. The simulator is named by environment
 * variables (PLESK_SHIM_ENV). Node's standard library only: the shim loads it with a plain transpile.
 */
import { readFileSync } from 'fs';
import { request } from 'https';

export const PLESK_SHIM_ENV = {
  url: 'FIX_EMAIL_AUTH_SIM_PLESK_URL',
  key: 'FIX_EMAIL_AUTH_SIM_PLESK_KEY',
  caFile: 'FIX_EMAIL_AUTH_SIM_CA_FILE',
} as const;

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function post(url: URL, key: string, ca: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', ca, headers: { 'X-API-Key': key, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runPleskShim(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const [bin, utility, ...params] = argv;
  if (bin !== 'bin' || !utility || !/^[a-z_]+$/.test(utility)) {
    io.stderr.write('usage: plesk bin <utility> [options]\n');
    return 1;
  }
  const url = env[PLESK_SHIM_ENV.url];
  const key = env[PLESK_SHIM_ENV.key];
  const caFile = env[PLESK_SHIM_ENV.caFile];
  if (!url || !key || !caFile) {
    io.stderr.write(`plesk (simulator shim): set ${PLESK_SHIM_ENV.url}, ${PLESK_SHIM_ENV.key} and ${PLESK_SHIM_ENV.caFile}\n`);
    return 1;
  }
  try {
    const answer = await post(new URL(`/api/v2/cli/${utility}/call`, url), key, readFileSync(caFile, 'utf8'), JSON.stringify({ params }));
    if (answer.status !== 200) {
      io.stderr.write(`plesk (simulator shim): HTTP ${answer.status}: ${answer.text}\n`);
      return 1;
    }
    const result = JSON.parse(answer.text) as { code: number; stdout: string; stderr: string };
    io.stdout.write(result.stdout);
    io.stderr.write(result.stderr);
    return result.code;
  } catch (err) {
    io.stderr.write(`plesk (simulator shim): ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
