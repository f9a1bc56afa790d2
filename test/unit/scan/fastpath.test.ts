/** The fast path's readers of cPanel's files: /etc/userdomains, cpuser files, the zone directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  fileScanSource,
  filesReadable,
  listZoneFiles,
  parseCpanelUserFile,
  parseUserDomains,
  readCpanelUserFile,
  readZoneFile,
} from '../../../src/adapters/fastpath';
import { isFixEmailAuthError } from '../../../src/errors';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fea-fastpath-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('/etc/userdomains', () => {
  it('when the file lists domains of every kind and ends with "*: nobody", then every domain maps to its user and the catch-all is not a domain', () => {
    const text = ['alice.example: alice', 'addon.tld: alice', 'Shop.Alice.Example.: alice', 'bob.example: bob', '*: nobody', ''].join('\n');
    const { domains, skipped } = parseUserDomains(text);
    expect([...domains]).toEqual([
      ['alice.example', 'alice'],
      ['addon.tld', 'alice'],
      ['shop.alice.example', 'alice'],
      ['bob.example', 'bob'],
    ]);
    expect(skipped).toBe(0);
  });

  it('when lines are odd (no colon, bad names, a path as user, CRLF), then they are skipped and counted, never fatal', () => {
    const { domains, skipped } = parseUserDomains(
      'good.example: good\r\nnocolon\n../etc/passwd: x\nbad.example: ../root\nspaces in.example: u\n: nobody2\n',
    );
    expect([...domains]).toEqual([['good.example', 'good']]);
    expect(skipped).toBe(5);
  });
});

describe('cpuser files', () => {
  it('when a cpuser file is read, then OWNER=, DNS= and DNSn= give the reseller, the main domain and the addon/parked domains', () => {
    expect(parseCpanelUserFile('USER=alice\nOWNER=resell\nDNS=Alice.Example\nDNS1=addon.tld\nDNS2=alias.tld\nPLAN=default\n')).toEqual({
      owner: 'resell',
      mainDomain: 'alice.example',
      extraDomains: ['addon.tld', 'alias.tld'],
    });
  });

  it('when the user name is not a cPanel user name, then no file outside the directory is opened', async () => {
    mkdirSync(join(dir, 'users'), { recursive: true });
    writeFileSync(join(dir, 'secret'), 'OWNER=leak\n');
    expect(await readCpanelUserFile(join(dir, 'users'), '../secret')).toBeNull();
    expect(await readCpanelUserFile(join(dir, 'users'), 'missing')).toBeNull();
  });
});

describe('zone files', () => {
  it('when the zone directory holds .db files and other things, then only valid zone names are listed, and a bad name is never read', async () => {
    const named = join(dir, 'named');
    mkdirSync(named, { recursive: true });
    for (const f of ['a.example.db', 'B.Example.db', 'notes.txt', 'cache.db.jnl']) writeFileSync(join(named, f), '');
    expect([...(await listZoneFiles(named))].sort()).toEqual(['a.example', 'b.example']);
    let err: unknown;
    try {
      readZoneFile(named, '../secret');
    } catch (e) {
      err = e;
    }
    expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
    expect(() => readZoneFile(named, 'absent.example')).toThrow(/no such file/);
  });

  it('when the files are there or not, then filesReadable says whether the fast path can run', async () => {
    writeFileSync(join(dir, 'userdomains'), '*: nobody\n');
    expect(await filesReadable(join(dir, 'named'), join(dir, 'userdomains'))).toBe(true);
    expect(await filesReadable(join(dir, 'named'), join(dir, 'nope'))).toBe(false);
    expect(await filesReadable(join(dir, 'nope'), join(dir, 'userdomains'))).toBe(false);
  });
});

describe('fileScanSource', () => {
  it('when domains are listed, then each lives in its nearest zone of the same account, typed main by the DNS= line of the cpuser file', async () => {
    const root = join(dir, 'server');
    mkdirSync(join(root, 'named'), { recursive: true });
    mkdirSync(join(root, 'users'), { recursive: true });
    for (const z of ['alice.example', 'addon.tld', 'bob.example']) writeFileSync(join(root, 'named', `${z}.db`), '');
    writeFileSync(join(root, 'users', 'alice'), 'DNS=alice.example\nDNS1=addon.tld\nOWNER=root\n');
    writeFileSync(join(root, 'users', 'bob'), 'DNS=bob.example\nOWNER=resell\n');
    writeFileSync(
      join(root, 'userdomains'),
      [
        'alice.example: alice',
        'addon.tld: alice',
        'addon.alice.example: alice',
        'shop.alice.example: alice',
        'bob.example: bob',
        'deep.shop.bob.example: bob',
        '*: nobody',
      ].join('\n'),
    );
    // A sub-domain with a zone file of its own is its own zone (zoneMap.ts rule 2, as for the API).
    writeFileSync(join(root, 'named', 'shop.alice.example.db'), '');
    const domains = await fileScanSource({
      namedDir: join(root, 'named'),
      userdomains: join(root, 'userdomains'),
      cpanelUsers: join(root, 'users'),
    }).listDomains();
    const view = Object.fromEntries(domains.map((d) => [d.domain, [d.zone, d.user, d.owner, d.type]]));
    expect(view).toEqual({
      'alice.example': ['alice.example', 'alice', 'root', 'main'],
      'addon.tld': ['addon.tld', 'alice', 'root', 'addon'],
      'addon.alice.example': ['alice.example', 'alice', 'root', 'sub'],
      // A domain with a zone file of its own is typed addon (parked looks the same from the files).
      'shop.alice.example': ['shop.alice.example', 'alice', 'root', 'addon'],
      'bob.example': ['bob.example', 'bob', 'resell', 'main'],
      'deep.shop.bob.example': ['bob.example', 'bob', 'resell', 'sub'],
    });
  });
});
