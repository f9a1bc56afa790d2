/**
 * `fleet join <controller-url> <token>`: enroll this server with a one-time token. The server makes
 * its own Ed25519 key pair, sends only the public key, and keeps the private key in a root-only file;
 * from then on its daemon pushes to and pulls from the controller. Joining again replaces the
 * previous enrollment (its outbox and seen requests are forgotten: the new controller starts afresh).
 */
import type { FleetCredentials } from '../../adapters/fleet';
import type { FleetOutbox } from '../../adapters/store';
import { FixEmailAuthError } from '../../errors';
import { generateServerKeys, PROTOCOL_VERSION, type EnrollAnswer, type EnrollBody, type ServerInfo } from '../../fleet/protocol';
import type { Clock } from '../../ports';

export interface JoinDeps {
  enroll(controllerUrl: string, body: EnrollBody, options: { caFile?: string }): Promise<EnrollAnswer>;
  readCredentials(): FleetCredentials | null;
  writeCredentials(credentials: FleetCredentials): void;
  outbox: Pick<FleetOutbox, 'resetFleet' | 'enableFleetFeed'>;
  info: ServerInfo;
  clock: Clock;
}

export interface JoinInput {
  controllerUrl: string;
  token: string;
  caFile?: string;
  /** Replace an existing enrollment. */
  force?: boolean;
}

export async function joinFleet(deps: JoinDeps, input: JoinInput): Promise<{ serverId: number; name: string; pollSeconds: number }> {
  const existing = deps.readCredentials();
  if (existing && !input.force)
    throw new FixEmailAuthError(
      'CONFLICT',
      `This server already belongs to the fleet at ${existing.controllerUrl} as ${existing.name}; pass --force to join another (the old enrollment stops working here).`,
    );
  if (!/^fea1_[A-Za-z0-9_-]{20,100}$/.test(input.token))
    throw new FixEmailAuthError('BAD_INPUT', 'That is not an enrollment token (they start with fea1_).');
  const keys = generateServerKeys();
  const answer = await deps.enroll(
    input.controllerUrl,
    { protocol: PROTOCOL_VERSION, token: input.token, publicKey: keys.publicKey, info: deps.info },
    input.caFile ? { caFile: input.caFile } : {},
  );
  deps.writeCredentials({
    controllerUrl: input.controllerUrl,
    serverId: answer.serverId,
    name: answer.name,
    privateKeyPem: keys.privateKeyPem,
    ...(input.caFile ? { caFile: input.caFile } : {}),
    joinedAt: deps.clock.now().toISOString(),
  });
  deps.outbox.resetFleet();
  deps.outbox.enableFleetFeed();
  return { serverId: answer.serverId, name: answer.name, pollSeconds: answer.pollSeconds };
}
