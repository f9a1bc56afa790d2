/**
 * The fake `whmapi1` and `uapi` executables (docs/reference/cpanel-api.md §3): whmapi1 prints the WHM JSON as HTTP
 * answers it; uapi prints the wrapped envelope (§4.2), not the bare HTTP object.
 */
import { execFile } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseUapiArgv, parseWhmapi1Argv } from '../../../src/simulator/cliShims';
import { cliShimEnv, SHIM_BIN_DIR, startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runTool(tool: 'whmapi1' | 'uapi', args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(join(SHIM_BIN_DIR, tool), args, { env: { ...process.env, ...env }, timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('CLI shims', () => {
  let started: StartedSimulator;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    started = await startTestSimulator({ clock: () => new Date('2026-11-28T12:00:00Z') });
    dir = mkdtempSync(join(tmpdir(), 'fea-shim-'));
    env = cliShimEnv(started.sim, dir, 'root', T.root);
  });
  afterAll(async () => {
    await started.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('when whmapi1 runs a function with --output=json, then it prints exactly the HTTP JSON', async () => {
    const run = await runTool('whmapi1', ['parse_dns_zone', 'zone=example.com', '--output=json'], env);
    expect(run.code).toBe(0);
    const http = await whm(started.sim, 'root', T.root, 'parse_dns_zone', [['zone', 'example.com']]);
    expect(run.stdout).toBe(`${http.body}\n`);
  });

  test('when uapi runs as a user, then it prints the wrapped envelope with the UAPI result inside', async () => {
    const run = await runTool('uapi', ['--output=json', '--user=alice', 'DomainInfo', 'list_domains'], env);
    expect(run.code).toBe(0);
    const bare = await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains');
    const printed = JSON.parse(run.stdout);
    expect(Object.keys(printed)).toEqual(['apiversion', 'func', 'module', 'result']);
    expect(printed).toEqual({
      apiversion: 3,
      func: 'list_domains',
      module: 'DomainInfo',
      result: { data: bare.json.data, errors: null, messages: null, metadata: {}, status: 1, warnings: null },
    });
  });

  test('when uapi runs mass_edit_zone with JSON arguments, then the edit lands and a failed call still exits 0 with status 0 inside', async () => {
    const add = '{"dname":"_mailchannels","ttl":14400,"record_type":"TXT","data":["v=mc1 auth=webhostingm"]}';
    const ok = await runTool(
      'uapi',
      ['--output=json', '--user=alice', 'DNS', 'mass_edit_zone', 'zone=example.com', 'serial=2024030101', `add=${add}`],
      env,
    );
    expect(JSON.parse(ok.stdout).result).toMatchObject({ status: 1, data: { new_serial: 2026112800 } });
    const stale = await runTool(
      'uapi',
      ['--output=json', '--user=alice', 'DNS', 'mass_edit_zone', 'zone=example.com', 'serial=2024030101', `add=${add}`],
      env,
    );
    expect(stale.code).toBe(0);
    expect(JSON.parse(stale.stdout).result).toMatchObject({ status: 0, data: { type: 'Stale', detail: null } });
  });

  test('when whmapi1 gets a repeated list argument, then the simulator receives the whole list', async () => {
    started.sim.log.clear();
    await runTool('whmapi1', ['has_local_authority', 'domain=example.com', 'domain=carol.example', '--output=json'], env);
    expect(started.sim.log.all()[0]?.params.domain).toEqual(['example.com', 'carol.example']);
  });

  test('when the output format is left at the YAML default, then the shim refuses instead of faking YAML', async () => {
    const run = await runTool('whmapi1', ['listzones'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--output=json');
  });

  test('when uapi is run without --user, then it refuses (root must name the user)', async () => {
    const run = await runTool('uapi', ['--output=json', 'DNS', 'parse_zone', 'zone=example.com'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--user');
  });

  test('when the token is wrong, then the tool fails with a non-zero exit', async () => {
    const run = await runTool('whmapi1', ['listzones', '--output=json'], { ...env, FIX_EMAIL_AUTH_SIM_TOKEN: 'WRONG' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('HTTP 401');
  });

  test('when arguments are parsed, then options may come anywhere and values may contain “=”', () => {
    expect(parseWhmapi1Argv(['--output=jsonpretty', 'mass_edit_dns_zone', 'zone=a.example', 'add={"x":"a=b"}'])).toEqual({
      fn: 'mass_edit_dns_zone',
      pairs: [
        ['zone', 'a.example'],
        ['add', '{"x":"a=b"}'],
      ],
      output: 'jsonpretty',
    });
    expect(parseUapiArgv(['--output=json', '--user=alice', 'DNS', 'parse_zone', 'zone=a.example'])).toEqual({
      fn: 'parse_zone',
      module: 'DNS',
      user: 'alice',
      pairs: [['zone', 'a.example']],
      output: 'json',
    });
  });
});
