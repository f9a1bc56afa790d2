import { parseSince } from '../../../src/adapters/exim/since';
import { isFixEmailAuthError } from '../../../src/errors';

const now = new Date(2026, 10, 28, 12, 0, 0);

describe('parseSince', () => {
  it.each([
    ['24h', 24 * 3600e3],
    ['2d', 2 * 86400e3],
    ['90m', 90 * 60e3],
    ['30s', 30e3],
    ['1w', 7 * 86400e3],
    [' 2D ', 2 * 86400e3],
  ])('when the value is the duration %j, then it counts back from now', (text, ms) => {
    expect(parseSince(text, now).getTime()).toBe(now.getTime() - ms);
  });

  it('when the value is a date or a date-time without zone, then it is local time like the log', () => {
    expect(parseSince('2026-11-27', now).getTime()).toBe(new Date(2026, 10, 27).getTime());
    expect(parseSince('2026-11-27T10:30', now).getTime()).toBe(new Date(2026, 10, 27, 10, 30).getTime());
    expect(parseSince('2026-11-27 10:30:15.5', now).getTime()).toBe(new Date(2026, 10, 27, 10, 30, 15, 500).getTime());
  });

  it('when the value has a zone, then it is that instant', () => {
    expect(parseSince('2026-11-27T10:30:00Z', now).toISOString()).toBe('2026-11-27T10:30:00.000Z');
    expect(parseSince('2026-11-27T10:30:00+02:00', now).toISOString()).toBe('2026-11-27T08:30:00.000Z');
  });

  it.each(['', 'yesterday', '24', 'h24', '2026-02-30', '2026-11-27T25:00', '-1h', '1y', '2026/11/27'])(
    'when the value is %j, then it is a BAD_INPUT error that shows the accepted forms',
    (text) => {
      let err: unknown;
      try {
        parseSince(text, now);
      } catch (e) {
        err = e;
      }
      expect(isFixEmailAuthError(err, 'BAD_INPUT')).toBe(true);
      expect((err as Error).message).toMatch(/24h/);
    },
  );
});
