import { parsePhpQuery } from '../../support/fake-jetbackup/php-query';

describe("the fake's PHP parse_str (docs/reference/jetbackup-and-exim.md §1.12)", () => {
  it('when a bare + appears, then it reads as a space (why the client must send %2B)', () => {
    expect(parsePhpQuery('a=x+y&b=x%2By')).toEqual({ a: 'x y', b: 'x+y' });
  });

  it('when items[] and items[0] forms are used, then both give lists', () => {
    expect(parsePhpQuery('items[]=a&items[]=b')).toEqual({ items: ['a', 'b'] });
    expect(parsePhpQuery('items[0]=a&items[1]=b')).toEqual({ items: ['a', 'b'] });
  });

  it('when keys nest, then objects are built; non-sequential indices stay an object', () => {
    expect(parsePhpQuery('filters[accounts][0]=x&options[merge]=1')).toEqual({ filters: { accounts: ['x'] }, options: { merge: '1' } });
    expect(parsePhpQuery('a[2]=x')).toEqual({ a: { 2: 'x' } });
  });

  it('when an escape is invalid or a key has no value, then PHP-like leniency applies', () => {
    expect(parsePhpQuery('a=100%&b')).toEqual({ a: '100%', b: '' });
  });

  it('when the base name has dots or spaces, then they become underscores like PHP', () => {
    expect(parsePhpQuery('a.b=1&c d=2')).toEqual({ a_b: '1', c_d: '2' });
  });
});
