/**
 * Small cPanel servers for the fleet tests, one seed per server number, each with its own domains:
 * a stale lockdown record (repairable), a `cfid=` record (repairable), a block-all record (a choice:
 * never repaired from afar), a correct record, and a stale record in a zone the world asks other
 * nameservers for (the server refuses it: foreign DNS).
 */
import type { SeedInput } from '../../src/simulator/seed';
import { TEST_TOKENS } from './simulator';

const lockdown = (value: string) => [{ name: '_mailchannels', type: 'TXT', data: [value] }];
const base = [
  { name: '@', type: 'A', data: ['192.0.2.10'] },
  { name: '@', type: 'TXT', data: ['v=spf1 +a +mx include:relay.mailchannels.net ~all'] },
];

export interface FleetServerSeed {
  seed: SeedInput;
  /** Domains the controller's "every stale domain" selects on this server. */
  staleSelected: string[];
  /** Of those, the ones the server repairs (the rest it refuses). */
  repairable: string[];
  foreign: string;
  blockAll: string;
  ok: string;
}

export function fleetServerSeed(n: number): FleetServerSeed {
  const d = (label: string) => `${label}${n}.example`;
  return {
    seed: {
      server: { hostname: `web${n}.example.net`, nameservers: [`ns1.web${n}.example.net`, `ns2.web${n}.example.net`] },
      resellers: ['resa'],
      accounts: [
        { user: `alpha${n}`, domain: d('stale'), owner: 'root', domains: [{ domain: d('blockall'), type: 'addon' }] },
        { user: `beta${n}`, domain: d('ok'), owner: 'resa', domains: [{ domain: d('foreign'), type: 'addon' }] },
        { user: `gamma${n}`, domain: d('cfid'), owner: 'resa' },
      ],
      zones: [
        { name: d('stale'), records: [...base, ...lockdown('v=mc1 auth=oldhost')] },
        { name: d('blockall'), records: [...base, ...lockdown('v=mc1')] },
        { name: d('ok'), records: [...base, ...lockdown('v=mc1 auth=webhostingm')] },
        {
          name: d('foreign'),
          records: [...base, ...lockdown('v=mc1 auth=oldhost')],
          localAuthority: 0,
          publicNameservers: ['ns1.elsewhere.example'],
        },
        { name: d('cfid'), records: [...base, ...lockdown('v=mc1 cfid=oldsite.workers.dev')] },
      ],
      tokens: [{ kind: 'whm', user: 'root', token: TEST_TOKENS.root }],
    },
    staleSelected: [d('cfid'), d('foreign'), d('stale')],
    repairable: [d('cfid'), d('stale')],
    foreign: d('foreign'),
    blockAll: d('blockall'),
    ok: d('ok'),
  };
}
