import { booleanStyleFor, encodeQuery, encodeQueryComponent } from '../../../src/adapters/jetbackup/query-string';
import { parsePhpQuery } from '../../support/fake-jetbackup/php-query';

describe('JetBackup -D query encoding (docs/reference/jetbackup-and-exim.md §1.1)', () => {
  it('when a value has +, spaces, % and &, then each is percent-encoded and letters, digits and _ stay', () => {
    expect(encodeQueryComponent('a+b c%d&e=f_9')).toBe('a%2Bb%20c%25d%26e%3Df_9');
  });

  it('when a value has dots, dashes or non-ASCII letters, then they are encoded as UTF-8 bytes', () => {
    expect(encodeQueryComponent('ex-ample.com')).toBe('ex%2Dample%2Ecom');
    expect(encodeQueryComponent('é')).toBe('%C3%A9');
  });

  it('when params nest, then keys use literal PHP brackets', () => {
    expect(encodeQuery({ find: { username: 'alice' } })).toBe('find[username]=alice');
    expect(encodeQuery({ type: 2, snapshot_id: 'abc', items: ['i1', 'i2'], options: { merge: true } }, 'word')).toBe(
      'type=2&snapshot_id=abc&items[]=i1&items[]=i2&options[merge]=true',
    );
  });

  it('when a list holds objects, then its entries are indexed', () => {
    expect(encodeQuery({ filters: [{ id: 'a' }, { id: 'b' }] })).toBe('filters[0][id]=a&filters[1][id]=b');
  });

  it('when booleans are numeric, then they are 1 and 0; when word, true and false', () => {
    expect(encodeQuery({ get_log_contents: true, orphan: false })).toBe('get_log_contents=1&orphan=0');
    expect(encodeQuery({ get_log_contents: true, orphan: false }, 'word')).toBe('get_log_contents=true&orphan=false');
  });

  it('when a value is null or undefined, then the pair is left out', () => {
    expect(encodeQuery({ a: 'x', b: null, c: undefined })).toBe('a=x');
    expect(encodeQuery({})).toBe('');
  });

  it('when a number is negative (sort[created]=-1), then the minus is encoded', () => {
    expect(encodeQuery({ sort: { created: -1 } })).toBe('sort[created]=%2D1');
  });

  it('when choosing the boolean style, then only addQueueItems (whose page shows true/false) gets words, unless overridden', () => {
    expect(booleanStyleFor('getQueueGroup')).toBe('numeric');
    expect(booleanStyleFor('addQueueItems')).toBe('word');
    expect(booleanStyleFor('addQueueItems', 'numeric')).toBe('numeric');
    expect(booleanStyleFor('getQueueGroup', 'word')).toBe('word');
  });

  it('when PHP-style parsing reads what we encoded, then it gets back the same values', () => {
    const hostile = 'v=mc1 auth=a+b&c=%41 "q" é';
    const parsed = parsePhpQuery(encodeQuery({ find: { username: hostile }, items: ['x+y', 'z w'], options: { merge: false } }, 'word'));
    expect(parsed).toEqual({ find: { username: hostile }, items: ['x+y', 'z w'], options: { merge: 'false' } });
  });
});
