import { writeFileSync } from 'fs';
import { join } from 'path';
import { ArrivalTexts } from '../../../src/adapters/exim/arrivalTexts';
import { readEximFailures } from '../../../src/adapters/exim';
import { tempDir } from './helpers';

const t = tempDir();
afterAll(t.cleanup);

describe('ArrivalTexts', () => {
  const arrival = '2026-11-28 10:00:00 1xA000-000001-Aa <= joe@example.com A=dovecot_login:joe@example.com P=esmtpa S=1\n';
  const path = join(t.dir, 'texts.mainlog');
  writeFileSync(path, `noise line\n${arrival}`);
  const at = 'noise line\n'.length + arrival.indexOf('<= ') + 3;

  it('when asked at an arrival text offset, then the line after "<= " comes back', () => {
    const texts = new ArrivalTexts();
    const file = texts.add(path, true);
    expect(texts.read(file, at)).toBe('joe@example.com A=dovecot_login:joe@example.com P=esmtpa S=1');
    texts.close();
  });

  it('when the offset does not follow an arrival flag (the file changed), then nothing is returned rather than a wrong sender', () => {
    const texts = new ArrivalTexts();
    const file = texts.add(path, true);
    expect(texts.read(file, at + 4)).toBeNull();
    expect(texts.read(file, 1)).toBeNull();
    texts.close();
  });

  it('when the file is gzip (not re-readable) or unknown, then nothing is returned', () => {
    const texts = new ArrivalTexts();
    const gz = texts.add(path, false);
    expect(texts.read(gz, at)).toBeNull();
    expect(texts.read(7, at)).toBeNull();
    texts.close();
  });
});

describe('a failure far from its arrival', () => {
  it('when megabytes of deliveries separate them (another chunk), then the sender is re-read from the file', async () => {
    const log = join(t.dir, 'far.mainlog');
    const filler = '2026-11-28 10:00:00 1xZZZZ-000000-00 => x@y.example R=r T=t H=h [1.2.3.4] C="250 ok"\n'.repeat(60_000);
    writeFileSync(
      log,
      '2026-11-28 09:00:00 1xA000-000002-Aa <= far@example.com U=faruser P=local S=1\n' +
        filler +
        '2026-11-28 11:00:00 1xA000-000002-Aa ** r@x.example R=r T=t: 550 5.7.1 This sender is not authorized to send from example.com.\n',
    );
    const result = await readEximFailures({ log, includeRotated: false });
    expect(result.failures.map((f) => [f.sender, f.authUser])).toEqual([['far@example.com', 'faruser']]);
  });
});
