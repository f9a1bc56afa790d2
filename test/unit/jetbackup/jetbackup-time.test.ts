import { floorToSecond, parseJetBackupTime } from '../../../src/adapters/jetbackup/jetbackup-time';

describe('JetBackup times (created format unverified, docs/reference/jetbackup-and-exim.md §1.7)', () => {
  const expected = '2023-09-19T00:22:06.000Z';

  it.each([
    ['ISO with +00:00 (the documented form)', '2023-09-19T00:22:06+00:00'],
    ['ISO with Z', '2023-09-19T00:22:06Z'],
    ['ISO with +0000', '2023-09-19T00:22:06+0000'],
    ['another offset', '2023-09-19T02:22:06+02:00'],
    ['SQL style, read as UTC', '2023-09-19 00:22:06'],
    ['Unix seconds', 1695082926],
    ['Unix seconds as text', '1695082926'],
    ['Unix milliseconds', 1695082926000],
    ['MongoDB extended JSON', { $date: '2023-09-19T00:22:06Z' }],
    ['MongoDB $numberLong', { $date: { $numberLong: '1695082926000' } }],
  ])('when the time is %s, then it is read', (_label, value) => {
    expect(parseJetBackupTime(value)?.toISOString()).toBe(expected);
  });

  it.each([[''], [null], [undefined], [0], ['0000-00-00 00:00:00'], ['yesterday'], [[1]], [{}]])(
    'when the time is %p, then it is unknown',
    (value) => {
      expect(parseJetBackupTime(value)).toBeNull();
    },
  );

  it('when flooring, then milliseconds are dropped', () => {
    expect(floorToSecond(new Date('2024-01-01T00:00:00.999Z')).toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});
