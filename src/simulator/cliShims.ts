/**
 * Stand-ins for cPanel's `whmapi1` and `uapi` command-line tools (docs/reference/cpanel-api.md §3), forwarding to a
 * running simulator so the client's CLI transport can be tested end to end:
 *   whmapi1 <function> key=value … --output=json           → prints the WHM JSON as HTTP returns it
 *   uapi --user=<cpuser> <Module> <function> key=value … --output=json
 *                                                           → prints the WRAPPED envelope (§4.2)
 * The simulator is named by environment variables (see SHIM_ENV). Only JSON output is simulated;
 * the tools' YAML default is refused with a message rather than faked.
 *
 * Keep this file free of imports beyond Node and envelopes.ts: the executables load it with a plain
 * TypeScript transpile (test/support/bin/register-ts.js).
 */
import { readFileSync } from 'fs';
import { request } from 'https';
import { wrapUapi, type UapiResult } from './envelopes';

export const SHIM_ENV = {
  /** `https://127.0.0.1:<port>` of the simulator's WHM side. */
  whmUrl: 'FIX_EMAIL_AUTH_SIM_WHM_URL',
  /** WHM API token the shims authenticate with (as root: the real tools run as root). */
  token: 'FIX_EMAIL_AUTH_SIM_TOKEN',
  /** WHM user of the token (default root). */
  tokenUser: 'FIX_EMAIL_AUTH_SIM_TOKEN_USER',
  /** PEM file of the simulator's certificate. */
  caFile: 'FIX_EMAIL_AUTH_SIM_CA_FILE',
} as const;

export type OutputFormat = 'json' | 'jsonpretty' | 'yaml';

export interface ParsedCall {
  fn: string;
  module?: string;
  user?: string;
  pairs: Array<[string, string]>;
  output: OutputFormat;
}

export interface ShimIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

/** `--output=json` style options anywhere; the rest are positional words and `key=value` pairs. */
function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // A lone `%` the decoder cannot read is kept as it is, as a lenient form decoder does.
    return text.replace(/\+/g, ' ');
  }
}

function splitArgs(argv: readonly string[]): { options: Map<string, string>; words: string[]; pairs: Array<[string, string]> } {
  const options = new Map<string, string>();
  const words: string[] = [];
  const pairs: Array<[string, string]> = [];
  for (const arg of argv) {
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      options.set(eq === -1 ? arg.slice(2) : arg.slice(2, eq), eq === -1 ? '' : arg.slice(eq + 1));
    } else if (arg.includes('=') && words.length > 0) {
      const eq = arg.indexOf('=');
      // The real CLIs run each key=value through cPanel's form decoder (Cpanel::Encoder::URI::
      // uri_decode_str): `+` is a space and %XX an escaped byte, so clients must escape them. A value
      // that begins with `@` names a file whose content is the value (`bin/apitool` help text, cPanel
      // 11.120): clients must send `%40` for a literal `@`.
      const raw = arg.slice(eq + 1);
      pairs.push([formDecode(arg.slice(0, eq)), raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : formDecode(raw)]);
    } else {
      if (pairs.length > 0) throw new UsageError(`expected key=value, got ${JSON.stringify(arg)}`);
      words.push(arg);
    }
  }
  return { options, words, pairs };
}

function outputOf(options: Map<string, string>): OutputFormat {
  const output = options.get('output') ?? 'yaml';
  if (output !== 'json' && output !== 'jsonpretty' && output !== 'yaml') throw new UsageError(`unknown output format ${output}`);
  return output;
}

export function parseWhmapi1Argv(argv: readonly string[]): ParsedCall {
  const { options, words, pairs } = splitArgs(argv);
  const fn = words[0];
  if (!fn || words.length > 1) throw new UsageError('usage: whmapi1 <function> [key=value …] --output=json');
  return { fn, pairs, output: outputOf(options) };
}

export function parseUapiArgv(argv: readonly string[]): ParsedCall {
  const { options, words, pairs } = splitArgs(argv);
  const [module, fn] = words;
  if (!module || !fn || words.length > 2)
    throw new UsageError('usage: uapi --user=<cpuser> <Module> <function> [key=value …] --output=json');
  const user = options.get('user');
  return { fn, module, ...(user ? { user } : {}), pairs, output: outputOf(options) };
}

function render(value: unknown, output: OutputFormat): string {
  return output === 'jsonpretty' ? `${JSON.stringify(value, null, 3)}\n` : `${JSON.stringify(value)}\n`;
}

interface Connection {
  url: string;
  token: string;
  tokenUser: string;
  ca: string;
}

function connectionFrom(env: NodeJS.ProcessEnv): Connection {
  const url = env[SHIM_ENV.whmUrl];
  const token = env[SHIM_ENV.token];
  const caFile = env[SHIM_ENV.caFile];
  if (!url || !token || !caFile) {
    throw new UsageError(`set ${SHIM_ENV.whmUrl}, ${SHIM_ENV.token} and ${SHIM_ENV.caFile} to reach the simulator`);
  }
  return { url, token, tokenUser: env[SHIM_ENV.tokenUser] || 'root', ca: readFileSync(caFile, 'utf8') };
}

/** POST a form to the simulator's WHM side; resolves with status and body. */
function postForm(conn: Connection, path: string, pairs: Array<[string, string]>): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(pairs).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, conn.url),
      {
        method: 'POST',
        ca: conn.ca,
        headers: {
          Authorization: `whm ${conn.tokenUser}:${conn.token}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function guard(io: ShimIo, tool: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    io.stderr.write(`${tool}: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

function requireJson(tool: string, output: OutputFormat): void {
  if (output === 'yaml') throw new UsageError(`${tool} (simulator shim) prints JSON only: pass --output=json or --output=jsonpretty`);
}

/** `whmapi1`: the function's WHM API 1 JSON, exactly as HTTP answers it (§3). */
export function runWhmapi1(argv: readonly string[], env: NodeJS.ProcessEnv, io: ShimIo): Promise<number> {
  return guard(io, 'whmapi1', async () => {
    const call = parseWhmapi1Argv(argv);
    requireJson('whmapi1', call.output);
    const conn = connectionFrom(env);
    const answer = await postForm(conn, `/json-api/${encodeURIComponent(call.fn)}`, [['api.version', '1'], ...call.pairs]);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status} from the API`);
    io.stdout.write(call.output === 'json' ? `${answer.body}\n` : render(JSON.parse(answer.body), call.output));
    return 0;
  });
}

/** `uapi --user=U`: runs as the user (through WHM `uapi_cpanel`) and prints the wrapped envelope (§4.2). */
export function runUapi(argv: readonly string[], env: NodeJS.ProcessEnv, io: ShimIo): Promise<number> {
  return guard(io, 'uapi', async () => {
    const call = parseUapiArgv(argv);
    requireJson('uapi', call.output);
    // The real tool run by root needs --user; the daemon always runs as root.
    if (!call.user) throw new UsageError('run as root, uapi needs --user=<cpuser>');
    const conn = connectionFrom(env);
    const answer = await postForm(conn, '/json-api/uapi_cpanel', [
      ['api.version', '1'],
      ['cpanel.user', call.user],
      ['cpanel.module', call.module ?? ''],
      ['cpanel.function', call.fn],
      ...call.pairs,
    ]);
    if (answer.status !== 200) throw new Error(`HTTP ${answer.status} from the API`);
    const whm = JSON.parse(answer.body) as { metadata?: { result?: number; reason?: string }; data?: { uapi?: UapiResult } };
    const inner = whm.data?.uapi;
    // An unknown user fails before any UAPI runs; what the real tool prints then is unverified.
    if (whm.metadata?.result !== 1 || !inner) throw new Error(whm.metadata?.reason ?? 'no UAPI result');
    io.stdout.write(render(wrapUapi(call.module ?? '', call.fn, inner), call.output));
    return 0;
  });
}
