/**
 * Contract: transport and authentication (docs/reference/cpanel-api.md §1, §2, §10.1) and the test knobs that act
 * on the wire: faults, latency, the request log.
 */
import { callSimulator, startTestSimulator, uapi, whm, TEST_TOKENS as T, type StartedSimulator } from '../../support/simulator';

const LOCKDOWN = (n: number) => JSON.stringify({ dname: `_t${n}`, ttl: 300, record_type: 'TXT', data: [`value ${n}`] });

describe('transport', () => {
  let started: StartedSimulator;
  beforeEach(async () => {
    started = await startTestSimulator({ clock: () => new Date('2026-11-28T12:00:00Z') });
  });
  afterEach(() => started.stop());

  describe('authentication', () => {
    test.each([
      ['no Authorization header', 'cpanel', undefined],
      ['a wrong cPanel token', 'cpanel', `cpanel alice:WRONG`],
      ['another user’s cPanel token', 'cpanel', `cpanel alice:${T.bob}`],
      ['a WHM token on the cPanel side', 'cpanel', `whm root:${T.root}`],
      ['a cPanel token on the WHM side', 'whm', `cpanel alice:${T.alice}`],
      ['a wrong WHM token', 'whm', 'whm root:WRONG'],
      ['a suspended account’s token', 'cpanel', `cpanel dave:${T.dave}`],
      ['a garbled header', 'whm', 'Bearer abc'],
    ] as const)('when the request has %s, then it is refused with 401 and a non-JSON body', async (_label, side, auth) => {
      const path = side === 'cpanel' ? '/execute/DNS/parse_zone' : '/json-api/listaccts';
      const answer = await callSimulator(started.sim, {
        side,
        path,
        params: [
          ['zone', 'example.com'],
          ['api.version', '1'],
        ],
        ...(auth ? { auth } : {}),
      });
      expect(answer.status).toBe(401);
      expect(answer.contentType).toMatch(/^text\/html/);
      expect(answer.json).toBeUndefined();
      expect(started.sim.log.all().at(-1)).toMatchObject({ authUser: null, status: 401 });
    });

    test('when a token is revoked, then the next call with it is refused', async () => {
      expect((await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains')).status).toBe(200);
      started.sim.revokeToken(T.alice);
      expect((await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains')).status).toBe(401);
    });
  });

  describe('URLs and parameters', () => {
    test('when a cPanel session URL (/cpsessNNNNNNNNNN/execute/…) is used, then it reaches the same function', async () => {
      const answer = await callSimulator(started.sim, {
        side: 'cpanel',
        path: '/cpsess0123456789/execute/DNS/parse_zone',
        params: [['zone', 'example.com']],
        auth: `cpanel alice:${T.alice}`,
      });
      expect(answer.json.status).toBe(1);
    });

    test('when the WHM path is asked on the cPanel port (or the reverse), then the answer is a non-JSON error', async () => {
      const wrongPort = await callSimulator(started.sim, {
        side: 'cpanel',
        path: '/json-api/listaccts',
        params: [['api.version', '1']],
        auth: `cpanel alice:${T.alice}`,
      });
      expect(wrongPort.status).toBe(404);
      expect(wrongPort.json).toBeUndefined();
      const reverse = await callSimulator(started.sim, { side: 'whm', path: '/execute/DNS/parse_zone', auth: `whm root:${T.root}` });
      expect(reverse.status).toBe(404);
    });

    test('when GET and POST carry the same parameters, then the answers are the same', async () => {
      const params: Array<[string, string]> = [['zone', 'example.com']];
      const viaGet = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', params, 'GET');
      const viaPost = await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', params, 'POST');
      expect(viaPost.json).toEqual(viaGet.json);
      expect(started.sim.log.all().map((e) => e.method)).toEqual(['GET', 'POST']);
    });

    test.each([
      [
        'repeated names',
        [
          ['add', LOCKDOWN(1)],
          ['add', LOCKDOWN(2)],
          ['add', LOCKDOWN(3)],
        ],
      ],
      [
        'numbered names',
        [
          ['add-2', LOCKDOWN(3)],
          ['add-0', LOCKDOWN(1)],
          ['add-1', LOCKDOWN(2)],
        ],
      ],
      [
        'the bare name then numbered names',
        [
          ['add-1', LOCKDOWN(2)],
          ['add', LOCKDOWN(1)],
          ['add-2', LOCKDOWN(3)],
        ],
      ],
    ] as Array<[string, Array<[string, string]>]>)(
      'when a list is sent as %s, then every item is applied in cPanel’s order',
      async (_label, adds) => {
        const answer = await uapi(
          started.sim,
          'alice',
          T.alice,
          'DNS/mass_edit_zone',
          [['zone', 'example.com'], ['serial', '2024030101'], ...adds],
          'POST',
        );
        expect(answer.json.status).toBe(1);
        const text = (await started.sim.zoneText('example.com')) as string;
        const tail = text.trimEnd().split('\n').slice(-3);
        expect(tail).toEqual(['_t1\t300\tIN\tTXT\t"value 1"', '_t2\t300\tIN\tTXT\t"value 2"', '_t3\t300\tIN\tTXT\t"value 3"']);
        // The log folds the list the same way, so tests can assert on what the client sent.
        expect(started.sim.log.find('DNS/mass_edit_zone')[0]?.params.add).toEqual([LOCKDOWN(1), LOCKDOWN(2), LOCKDOWN(3)]);
      },
    );

    test('when WHM is called without api.version=1, then the legacy API 0 shape comes back', async () => {
      const answer = await callSimulator(started.sim, { side: 'whm', path: '/json-api/listzones', auth: `whm root:${T.root}` });
      expect(answer.json).not.toHaveProperty('metadata');
      expect(answer.json.result[0]).toMatchObject({ status: 1, statusmsg: 'OK' });
    });

    test('when an unknown function is called, then both APIs answer an API-level failure (HTTP 200)', async () => {
      const viaUapi = await uapi(started.sim, 'alice', T.alice, 'DNS/no_such_function');
      expect(viaUapi.status).toBe(200);
      expect(viaUapi.json.status).toBe(0);
      const viaWhm = await whm(started.sim, 'root', T.root, 'no_such_function');
      expect(viaWhm.status).toBe(200);
      expect(viaWhm.json.metadata).toMatchObject({ command: 'no_such_function', result: 0 });
    });
  });

  describe('faults', () => {
    test('when a 500 is injected for one path, then only the next matching call fails, with a non-JSON body', async () => {
      started.sim.injectFault({ kind: 'status', match: '/json-api/listzones', status: 500 });
      const other = await whm(started.sim, 'root', T.root, 'listaccts');
      expect(other.status).toBe(200);
      const failed = await whm(started.sim, 'root', T.root, 'listzones');
      expect(failed.status).toBe(500);
      expect(failed.json).toBeUndefined();
      expect((await whm(started.sim, 'root', T.root, 'listzones')).status).toBe(200);
    });

    test('when several 500s are injected, then exactly that many calls fail', async () => {
      started.sim.injectFault({ kind: 'status', match: /parse_zone/, times: 2, status: 503 });
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await uapi(started.sim, 'alice', T.alice, 'DNS/parse_zone', [['zone', 'example.com']])).status);
      expect(statuses).toEqual([503, 503, 200]);
    });

    test('when a hang is injected, then the client times out and the simulator still stops cleanly', async () => {
      started.sim.injectFault({ kind: 'hang', match: 'listaccts' });
      await expect(
        callSimulator(started.sim, {
          side: 'whm',
          path: '/json-api/listaccts',
          params: [['api.version', '1']],
          auth: `whm root:${T.root}`,
          timeoutMs: 300,
        }),
      ).rejects.toThrow('timeout');
    });

    test('when a hang is injected and the simulator stops, then the held connection is closed', async () => {
      started.sim.injectFault({ kind: 'hang' });
      const pending = callSimulator(started.sim, {
        side: 'whm',
        path: '/json-api/listaccts',
        params: [['api.version', '1']],
        auth: `whm root:${T.root}`,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await started.sim.stop();
      await expect(pending).rejects.toThrow();
    });

    test('when a dropped connection is injected, then the client sees the socket close without an answer', async () => {
      started.sim.injectFault({ kind: 'drop', match: 'uapi_cpanel DNS/mass_edit_zone' });
      const params: Array<[string, string]> = [
        ['cpanel.user', 'alice'],
        ['cpanel.module', 'DNS'],
        ['cpanel.function', 'mass_edit_zone'],
        ['zone', 'example.com'],
        ['serial', '2024030101'],
        ['add', LOCKDOWN(1)],
      ];
      await expect(whm(started.sim, 'root', T.root, 'uapi_cpanel', params, 'POST')).rejects.toThrow(/socket hang up|ECONNRESET/);
      // Nothing was written: the fault struck before the API ran.
      expect(await started.sim.zoneText('example.com')).toContain('2024030101 ;Serial Number');
    });

    describe('after the call was carried out ("it landed, then the answer was lost")', () => {
      const serials: Record<string, string> = { 'example.com': '2024030101', 'carol.example': '2024060100' };
      /** WHM's mass_edit_dns_zone as root: add one TXT to `zone`. */
      const call = (zone: string, n: number) =>
        callSimulator(started.sim, {
          side: 'whm',
          path: '/json-api/mass_edit_dns_zone',
          params: [
            ['api.version', '1'],
            ['zone', zone],
            ['serial', serials[zone]!],
            ['add', LOCKDOWN(n)],
          ],
          method: 'POST',
          auth: `whm root:${T.root}`,
          timeoutMs: 500,
        });

      test.each([
        ['hang', { kind: 'hang' as const }, /timeout/],
        ['drop', { kind: 'drop' as const }, /socket hang up|ECONNRESET/],
      ])(
        'when a %s is injected after the edit, then the client gets no answer but the edit is in the zone file',
        async (_k, fault, error) => {
          started.sim.injectFault({ ...fault, after: true, match: 'mass_edit_dns_zone' });
          await expect(call('example.com', 1)).rejects.toThrow(error);
          const text = await started.sim.zoneText('example.com');
          expect(text).toContain('"value 1"');
          expect(text).toContain('2026112800 ;Serial Number');
          expect(started.sim.log.find('mass_edit_dns_zone')).toEqual([expect.objectContaining({ carriedOut: true, status: 0, result: 1 })]);
        },
      );

      test('when a 500 is injected after the edit, then the client sees an HTML 500 and the edit is in the zone file', async () => {
        started.sim.injectFault({ kind: 'status', status: 500, after: true, match: 'mass_edit_dns_zone' });
        const answer = await call('example.com', 2);
        expect(answer.status).toBe(500);
        expect(answer.json).toBeUndefined();
        expect(await started.sim.zoneText('example.com')).toContain('"value 2"');
      });

      test('when the fault names a zone, then only the edit of that zone loses its answer', async () => {
        started.sim.injectFault({ kind: 'status', status: 500, after: true, match: 'mass_edit_dns_zone', zone: 'carol.example' });
        expect((await call('example.com', 3)).status).toBe(200);
        expect((await call('carol.example', 4)).status).toBe(500);
        expect(await started.sim.zoneText('carol.example')).toContain('"value 4"');
      });
    });

    test('when an auth fault is injected, then a valid token is refused once', async () => {
      started.sim.injectFault({ kind: 'auth', match: 'DomainInfo' });
      expect((await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains')).status).toBe(401);
      expect((await uapi(started.sim, 'alice', T.alice, 'DomainInfo/list_domains')).status).toBe(200);
    });

    test('when latency is set for a path, then its answers are slowed and others are not', async () => {
      started.sim.setLatency(250, 'listzones');
      const t0 = Date.now();
      await whm(started.sim, 'root', T.root, 'listaccts');
      const fast = Date.now() - t0;
      const t1 = Date.now();
      await whm(started.sim, 'root', T.root, 'listzones');
      const slow = Date.now() - t1;
      expect(slow).toBeGreaterThanOrEqual(240);
      expect(fast).toBeLessThan(240);
    });
  });

  test('when calls are made, then the log records method, path, call, params, auth user and outcome', async () => {
    await whm(
      started.sim,
      'root',
      T.root,
      'has_local_authority',
      [
        ['domain', 'example.com'],
        ['domain-1', 'carol.example'],
      ],
      'POST',
    );
    await uapi(started.sim, 'bob', T.bob, 'DNS/parse_zone', [['zone', 'example.com']]);
    const [first, second] = started.sim.log.all();
    expect(first).toMatchObject({
      side: 'whm',
      method: 'POST',
      path: '/json-api/has_local_authority',
      call: 'has_local_authority',
      params: { 'api.version': '1', domain: ['example.com', 'carol.example'] },
      authUser: 'root',
      status: 200,
      result: 1,
    });
    expect(second).toMatchObject({ side: 'cpanel', method: 'GET', call: 'DNS/parse_zone', authUser: 'bob', status: 200, result: 0 });
    started.sim.log.clear();
    expect(started.sim.log.all()).toEqual([]);
  });
});
