/** Real PowerDNS on loopback for tests: the same starter the demo uses (src/simulator/powerdns.ts). */
export * from '../../src/simulator/powerdns';
