/**
 * Which domains "repair every stale domain" selects on the controller: lockdown findings that make
 * MailChannels reject the domain's mail and that a server repairs on its own say-so. The server
 * decides again with its own diagnosis when the request reaches it (usecases/fleet/policy.ts).
 */
export const FLEET_STALE_CODES: readonly string[] = [
  'LOCKDOWN_STALE',
  'LOCKDOWN_WRONG_SENDERID',
  'LOCKDOWN_MULTIPLE',
  'LOCKDOWN_MALFORMED',
  'LOCKDOWN_CFID',
];
