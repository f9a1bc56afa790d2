/**
 * What the controller does for the servers: enroll one with a one-time token, and answer its signed
 * pushes and pulls. Which server is speaking comes from the signature alone (never from the body),
 * so a server can only ever write its own rows and read its own requests.
 */
import { FleetError } from '../errors';
import {
  enrollBody,
  MAX_REQUESTS_PER_PULL,
  parsePublicKey,
  parseSignedHeader,
  pullBody,
  pushBody,
  verifySignature,
  type EnrollAnswer,
  type Endpoint,
  type PullAnswer,
  type PushAnswer,
} from '../protocol';
import { applyPush, enrollServer, pullRequests, serverKey, spendNonce, touchServer, type Pool } from '../store';

export interface ServerApiDeps {
  pool: Pool;
  pollSeconds: number;
  now?: () => number;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new FleetError('BAD_INPUT', 'The body is not JSON.');
  }
}

function validated<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new FleetError(
      'PROTOCOL',
      `The message does not follow the fleet protocol: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`,
    );
  }
  return result.data;
}

/**
 * The server a signed request comes from: a known, unrevoked server whose key verifies the signature
 * over this exact body, within the clock window, with a nonce never used before.
 */
export async function authenticateServer(
  deps: ServerApiDeps,
  endpoint: Endpoint,
  authorization: string | undefined,
  raw: Buffer,
): Promise<number> {
  const header = parseSignedHeader(authorization);
  if (!header) throw new FleetError('UNAUTHENTICATED', 'A signed request is required (Authorization: FEA1 …).');
  const server = await serverKey(deps.pool, header.serverId);
  const key = server ? parsePublicKey(server.publicKey) : null;
  // Unknown server and bad signature get one answer: nothing to learn about which ids exist.
  if (!server || !key) throw new FleetError('BAD_SIGNATURE', 'The signature does not verify.');
  const verdict = verifySignature(header, { endpoint, body: raw, publicKey: key }, (deps.now ?? Date.now)());
  if (verdict === 'bad-signature') throw new FleetError('BAD_SIGNATURE', 'The signature does not verify.');
  if (verdict === 'outside-window')
    throw new FleetError('CLOCK_SKEW', 'The request is too old or from the future: check the server clock.');
  if (server.revoked) throw new FleetError('REVOKED', 'This server was revoked on the controller.');
  if (!(await spendNonce(deps.pool, server.id, header.nonce)))
    throw new FleetError('REPLAYED', 'This request was already received (replayed).');
  return server.id;
}

export async function enroll(deps: ServerApiDeps, raw: Buffer): Promise<EnrollAnswer> {
  const body = validated(enrollBody, parseJson(raw));
  if (!parsePublicKey(body.publicKey)) throw new FleetError('PROTOCOL', 'publicKey is not an Ed25519 public key.');
  const { serverId, name } = await enrollServer(deps.pool, { token: body.token, publicKey: body.publicKey, ...body.info });
  return { serverId, name, pollSeconds: deps.pollSeconds };
}

export async function push(deps: ServerApiDeps, authorization: string | undefined, raw: Buffer): Promise<PushAnswer> {
  const serverId = await authenticateServer(deps, 'push', authorization, raw);
  const body = validated(pushBody, parseJson(raw));
  const { ackedSeq, previousSeq } = await applyPush(deps.pool, serverId, body);
  return { ackedSeq, previousSeq };
}

export async function pull(deps: ServerApiDeps, authorization: string | undefined, raw: Buffer): Promise<PullAnswer> {
  const serverId = await authenticateServer(deps, 'pull', authorization, raw);
  const body = validated(pullBody, parseJson(raw));
  await touchServer(deps.pool, serverId, body.info);
  const requests = await pullRequests(deps.pool, serverId, MAX_REQUESTS_PER_PULL);
  return { requests, pollSeconds: deps.pollSeconds };
}
