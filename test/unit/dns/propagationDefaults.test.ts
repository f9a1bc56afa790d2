import { formatEndpoint } from '../../../src/adapters/dns/endpoint';
import { checkPropagation } from '../../../src/adapters/dns/propagation';
import { propagationDefaults } from '../../../src/adapters/dns/propagationDefaults';
import { parseConfig } from '../../../src/config';
import { makeZone, serveZones } from './helpers';

describe('propagationDefaults', () => {
  test('when the config maps nameservers to loopback and names a resolver, then a check needs only the zone facts', async () => {
    const zone = makeZone('example.com', '2024060102', [
      ['@', 3600, 'NS', 'ns1.example.net.'],
      ['_mailchannels', 300, 'TXT', 'v=mc1 auth=webhostingm'],
    ]);
    const server = await serveZones([zone]);
    const endpoint = formatEndpoint(server.address, server.port);
    const config = parseConfig({
      provider: { authId: 'webhostingm' },
      // The NS set is looked up through the configured resolver; its address comes from the map.
      dns: {
        resolvers: [endpoint],
        nameserverAddresses: { 'ns1.example.net': ['127.0.0.1'] },
        port: server.port,
        timeoutMs: 2000,
        retries: 0,
      },
    });
    const defaults = propagationDefaults(config.dns);
    try {
      const report = await checkPropagation({
        ...defaults,
        zone: 'example.com',
        name: '_mailchannels.example.com',
        expectedTxt: ['v=mc1 auth=webhostingm'],
        now: new Date('2024-06-01T12:00:00Z'),
      });
      expect(report.state).toBe('verified');
      expect(report.servers.map((s) => [s.nameserver, s.address, s.port])).toEqual([['ns1.example.net', '127.0.0.1', server.port]]);
    } finally {
      defaults.resolver.close();
      await server.stop();
    }
  });
});
