/**
 * Scan worker threads: the zones diagnosed in workers give exactly what the in-thread diagnoser gives;
 * a worker that dies fails only its own tasks. The workers load the TypeScript sources through the
 * test transpile hook (the product runs the compiled script).
 */
import { writeFileSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { createWorkerPool } from '../../../src/adapters/fastpath';
import { parseConfig } from '../../../src/config';
import { inThreadDiagnoser, type ScannedDomain, type ZoneTask } from '../../../src/usecases/scan';
import { zonesOf } from '../../fixtures/bulk/synthetic';

jest.setTimeout(60_000);

const REGISTER = join(__dirname, '../../support/bin/register-ts.js');
const WORKER = join(__dirname, '../../../src/usecases/scan/zoneWorker.ts');
const config = parseConfig({ provider: { authId: 'webhostingm' } });
const diagnosisConfig = { provider: config.provider, dns: config.dns, policy: config.policy };

function tasks(): ZoneTask[] {
  return [...zonesOf({ accounts: 12, staleEvery: 3 })].map((z) => ({
    zone: z.name,
    members: z.lockdownDomains.map((domain) => ({ domain, user: z.user, owner: z.owner })),
    content: { bytes: Buffer.from(z.text, 'latin1') },
  }));
}

describe('scan worker pool', () => {
  it('when zones are diagnosed in two worker threads, then the results are those of the in-thread diagnoser', async () => {
    const pool = createWorkerPool<ZoneTask, ScannedDomain[]>({
      script: WORKER,
      size: 2,
      workerData: { config: diagnosisConfig },
      execArgv: ['-r', REGISTER],
    });
    try {
      const inThread = inThreadDiagnoser(diagnosisConfig);
      const list = tasks();
      const [viaWorkers, here] = await Promise.all([
        Promise.all(list.map((t) => pool.run(t))),
        Promise.all(list.map((t) => inThread.diagnose(t))),
      ]);
      expect(viaWorkers).toEqual(here);
      expect(viaWorkers.flat().some((r) => r.codes.includes('LOCKDOWN_STALE'))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('when a worker dies, then its task fails with the reason and the pool refuses work once every worker is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fea-pool-'));
    const script = join(dir, 'dies.js');
    writeFileSync(script, "require('worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const pool = createWorkerPool<unknown, unknown>({ script, size: 1 });
    try {
      await expect(pool.run({})).rejects.toThrow(/stopped \(exit code 3\)/);
      await expect(pool.run({})).rejects.toThrow(/closed/);
    } finally {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
