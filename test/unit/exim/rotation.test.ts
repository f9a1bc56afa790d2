import { mkdirSync, utimesSync, writeFileSync } from 'fs';
import { basename, join } from 'path';
import { listRotations } from '../../../src/adapters/exim';
import { tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

function files(dir: string, names: Array<[string, number?]>): void {
  mkdirSync(dir);
  for (const [name, mtimeDay] of names) {
    writeFileSync(join(dir, name), '');
    if (mtimeDay !== undefined) utimesSync(join(dir, name), new Date(2026, 10, mtimeDay), new Date(2026, 10, mtimeDay));
  }
}

describe('listRotations', () => {
  it('when rotations are dated (dateext), then they come oldest first and unrelated names are ignored', async () => {
    const dir = join(t.dir, 'dated');
    files(dir, [
      ['exim_mainlog'],
      ['exim_mainlog-20261128.gz'],
      ['exim_mainlog-20261126'],
      ['exim_mainlog-20261127.gz'],
      ['exim_mainlog-2026112712.gz'],
      ['exim_mainlog.bak'],
      ['exim_rejectlog-20261127.gz'],
      ['exim_mainlog-2026.gz'],
    ]);
    const list = await listRotations(join(dir, 'exim_mainlog'));
    expect(list.map((f) => [basename(f.path), f.gz])).toEqual([
      ['exim_mainlog-20261126', false],
      ['exim_mainlog-20261127.gz', true],
      ['exim_mainlog-2026112712.gz', true],
      ['exim_mainlog-20261128.gz', true],
    ]);
  });

  it('when rotations are numbered, then the highest number is the oldest', async () => {
    const dir = join(t.dir, 'numbered');
    files(dir, [['mainlog'], ['mainlog.1'], ['mainlog.10.gz'], ['mainlog.2.gz']]);
    expect((await listRotations(join(dir, 'mainlog'))).map((f) => basename(f.path))).toEqual([
      'mainlog.10.gz',
      'mainlog.2.gz',
      'mainlog.1',
    ]);
  });

  it('when both schemes exist (logrotate config changed), then they are merged by modification time', async () => {
    const dir = join(t.dir, 'mixed');
    files(dir, [['mainlog'], ['mainlog.2.gz', 20], ['mainlog.1', 21], ['mainlog-20261126.gz', 26], ['mainlog-20261127', 27]]);
    expect((await listRotations(join(dir, 'mainlog'))).map((f) => basename(f.path))).toEqual([
      'mainlog.2.gz',
      'mainlog.1',
      'mainlog-20261126.gz',
      'mainlog-20261127',
    ]);
  });

  it('when the directory does not exist, then there are no rotations', async () => {
    expect(await listRotations(join(t.dir, 'nowhere', 'mainlog'))).toEqual([]);
  });
});
