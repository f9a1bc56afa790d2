/** A scan job's page names its slices by their zones and the job by whose zones it read. */
import { scanScope, scanTotals, sliceLabel } from '../../../src/daemon/presenters/scanJob';

const job = (params: unknown) => ({ params });

describe('scan job in words', () => {
  it('when a slice is over, then it is named by its first and last zone and how many it held', () => {
    const item = { key: 'a.example', result: { zones: 250, domains: 300, firstZone: 'a.example', lastZone: 'fz.example' } };
    expect(sliceLabel(job({ bounds: ['a.example', 'g.example'] }), item)).toBe('a.example … fz.example (250 zones)');
    expect(sliceLabel(job({}), { key: 'x.example', result: { zones: 1, firstZone: 'x.example', lastZone: 'x.example' } })).toBe(
      'x.example (1 zone)',
    );
  });

  it('when a slice has not run, then it is named by the range its bounds give, not by its first zone alone', () => {
    const params = { bounds: ['a.example', 'g.example', 'p.example'] };
    expect(sliceLabel(job(params), { key: 'g.example', result: null })).toBe('Zones from g.example, before p.example');
    expect(sliceLabel(job(params), { key: 'p.example', result: null })).toBe('Zones from p.example to the last');
  });

  it('when a scan was limited, then its scope says to whom; otherwise every account', () => {
    expect(scanScope(job({ bounds: [] }))).toBe('Every account on the server');
    expect(scanScope(job({ users: ['alice'], bounds: [] }))).toBe('Account alice');
    expect(scanScope(job({ reseller: 'resell', bounds: [] }))).toBe('Accounts of reseller resell');
    expect(scanScope(job({ users: ['alice', 'bob'], zones: ['x.example'] }))).toBe('Accounts alice, bob; zone x.example');
  });

  it('when slices finished, then the totals add their zones and domains', () => {
    expect(scanTotals([{ result: { zones: 2, domains: 3 } }, { result: null }, { result: { zones: 1, domains: 1 } }])).toEqual({
      zones: 3,
      domains: 4,
    });
  });
});
