import { cliArgs, encodeForm, paramPairs } from '../../../src/adapters/cpanel/params';

describe('list parameters (docs/reference/cpanel-api.md §2)', () => {
  const params = { zone: 'example.com', remove: [19, 23], add: ['{"a":1}'], edit: [], skipped: undefined };

  it('when the style is repeat, then each list item repeats the key and empty lists or undefined send nothing', () => {
    expect(paramPairs(params, 'repeat')).toEqual([
      ['zone', 'example.com'],
      ['remove', '19'],
      ['remove', '23'],
      ['add', '{"a":1}'],
    ]);
  });

  it('when the style is numbered, then items are key, key-1, key-2 (the documented numbered form)', () => {
    expect(paramPairs({ domain: ['a.example', 'b.example', 'c.example'] }, 'numbered')).toEqual([
      ['domain', 'a.example'],
      ['domain-1', 'b.example'],
      ['domain-2', 'c.example'],
    ]);
  });

  it('when no style is given, then repeat is used (what cPanel::APIClient sends)', () => {
    expect(encodeForm({ domain: ['a.example', 'b.example'] })).toBe('domain=a.example&domain=b.example');
  });

  it('when values hold +, spaces, & and typographic quotes, then the form encodes them so any decoder gets them back', () => {
    const form = encodeForm({ add: ['{"data":["v=spf1 +a +mx ~all"]}', 'x&y=“z”'] }, 'numbered');
    expect(form).toBe('add=%7B%22data%22%3A%5B%22v%3Dspf1%20%2Ba%20%2Bmx%20~all%22%5D%7D&add-1=x%26y%3D%E2%80%9Cz%E2%80%9D');
    const decoded = [...new URLSearchParams(form)];
    expect(decoded).toEqual([
      ['add', '{"data":["v=spf1 +a +mx ~all"]}'],
      ['add-1', 'x&y=“z”'],
    ]);
  });

  it('when a value is boolean or a number, then it is sent as 1/0 or its decimal text', () => {
    expect(encodeForm({ a: true, b: false, c: 2024030101 })).toBe('a=1&b=0&c=2024030101');
  });

  it('when building CLI arguments, then every pair is one argv item and only %, +, &, ; and @ are escaped by default', () => {
    const json = '{"dname":"_mailchannels","ttl":300,"record_type":"TXT","data":["v=mc1 auth=webhostingm"]}';
    expect(cliArgs({ zone: 'example.com', serial: '2024030101', add: [json], want: 'user,owner' })).toEqual([
      'zone=example.com',
      'serial=2024030101',
      `add=${json}`,
      'want=user,owner',
    ]);
    expect(cliArgs({ add: ['{"data":["v=spf1 +a 100%; a&b"]}'] })).toEqual(['add={"data":["v=spf1 %2Ba 100%25%3B a%26b"]}']);
  });

  it('when a value starts with @, then it goes out as %40 (apitool reads a leading @ as a file name) in form and all escaping', () => {
    expect(cliArgs({ search: '@/etc/shadow', zone: 'a@b' })).toEqual(['search=%40/etc/shadow', 'zone=a%40b']);
    expect(cliArgs({ search: '@/etc/shadow' }, { escaping: 'all' })).toEqual(['search=%40%2Fetc%2Fshadow']);
  });

  it('when escaping is off and a value starts with @, then it is refused before anything runs', () => {
    expect(() => cliArgs({ search: '@/etc/shadow' }, { escaping: 'none' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(cliArgs({ zone: 'a@b' }, { escaping: 'none' })).toEqual(['zone=a@b']);
  });

  it('when a form decoder reads the default escaping, then every value comes back exactly', () => {
    const values = ['v=spf1 +a +mx ~all', 'p=100%; rua=mailto:a@b', 'x&y=“z”', '%2B already', '@/etc/shadow'];
    for (const value of values) {
      const [arg] = cliArgs({ v: value });
      // what cPanel's form decoder does to one key=value item: `+` → space, then %XX → byte
      const decoded = decodeURIComponent((arg as string).slice(2).replace(/\+/g, ' '));
      expect(decoded).toBe(value);
    }
  });

  it('when all escaping is asked for, then every value is encodeURIComponent’d like cPanel::APIClient', () => {
    const json = '{"dname":"x","data":["a b"]}';
    expect(cliArgs({ add: [json] }, { escaping: 'all' })).toEqual([`add=${encodeURIComponent(json)}`]);
  });

  it('when escaping is off, then the JSON value stays one raw argv item, numbered if asked', () => {
    const json = '{"dname":"x","data":["a +b"]}';
    expect(cliArgs({ add: [json, json] }, { escaping: 'none', style: 'numbered' })).toEqual([`add=${json}`, `add-1=${json}`]);
  });
});
