/**
 * A daemon killed (SIGKILL) again and again while it follows a growing log: every rejection line is
 * counted exactly once in the end — none twice, none lost. The follower runs in a child process from
 * the built dist/ (npm test builds first), killed at moments the test does not choose.
 */
import { spawn, type ChildProcess } from 'child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { openStore } from '../../../src/adapters/store';
import { seededRandom } from '../../../src/simulator/seededRandom';

jest.setTimeout(120_000);

const REPO = join(__dirname, '..', '..', '..');
const CHILD = join(REPO, 'test', 'support', 'followChild.js');

let dir: string;
beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'adapters', 'follow', 'index.js')))
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before these tests');
  dir = mkdtempSync(join(tmpdir(), 'fea-restart-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(log: string, journal: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, log, journal], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the follower exited (${code}) before it was ready`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

let seq = 0;
function messages(n: number, random: () => number): { text: string; rejections: number } {
  let text = '';
  let rejections = 0;
  for (let i = 0; i < n; i++) {
    seq++;
    const id = `1xR${String(seq % 1000).padStart(3, '0')}-${String(seq).padStart(6, '0')}-Zz`;
    const domain = `d${Math.floor(random() * 40)}.example`;
    text += `2026-11-28 10:00:01 ${id} <= u@${domain} U=u P=local S=10\n`;
    if (random() < 0.6) {
      rejections++;
      text += `2026-11-28 10:00:01 ${id} ** r@gmail.example R=mailchannels T=mailchannels_smtp H=smtp.mailchannels.net [127.0.0.1]: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${domain}.\n`;
    } else
      text += `2026-11-28 10:00:01 ${id} => r@gmail.example R=mailchannels T=mailchannels_smtp H=smtp.mailchannels.net [127.0.0.1] C="250 ok"\n`;
    text += `2026-11-28 10:00:01 ${id} Completed\n`;
  }
  return { text, rejections };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restart mid-follow', () => {
  it('when the daemon is killed six times while the log grows, then in the end every rejection is counted exactly once', async () => {
    const random = seededRandom(14);
    const log = join(dir, 'exim_mainlog');
    const journal = join(dir, 'journal.db');
    writeFileSync(log, '');
    openStore(journal).close();
    let expected = 0;
    let child = await start(log, journal);
    for (let kills = 0; kills < 6; kills++) {
      for (let burst = 0; burst < 5; burst++) {
        const batch = messages(200 + Math.floor(random() * 400), random);
        appendFileSync(log, batch.text);
        expected += batch.rejections;
        await sleep(Math.floor(random() * 40));
      }
      await kill(child);
      child = await start(log, journal);
    }
    // Let the last one catch up (bounded), then check the counts it keeps.
    const store = openStore(journal);
    try {
      for (let i = 0; i < 300 && (store.selfHeal.tally().LOCKDOWN_REJECTED ?? 0) < expected; i++) await sleep(100);
      await sleep(300);
      expect(store.selfHeal.tally().LOCKDOWN_REJECTED).toBe(expected);
      expect(store.selfHeal.rejectedDomains({ limit: 100 }).reduce((sum, d) => sum + d.rejections, 0)).toBe(expected);
    } finally {
      await kill(child);
      store.close();
    }
  });
});
