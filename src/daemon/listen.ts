/**
 * Where the daemon listens. Production: a Unix socket only root can reach — its directory 0700, the
 * socket 0600 from the moment it exists (umask) and again after listen (chmod) — so the bridges'
 * identity headers can be trusted. A socket file left by a crashed daemon is removed, but only when it
 * is a socket and nobody answers on it; anything else at the path is refused, never deleted.
 * Demo: TCP on loopback only.
 */
import { promises as fs } from 'fs';
import { connect, isIP, type Server } from 'net';
import { dirname } from 'path';
import { FixEmailAuthError } from '../errors';

export type ListenTarget = { socket: string } | { host: string; port: number };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Parse `--listen 127.0.0.1:8765` / `[::1]:8765`; loopback only. */
export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-f:]+)\]|([^:[\]]+)):(\d{1,5})$/i.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new FixEmailAuthError('BAD_INPUT', `--listen wants HOST:PORT, e.g. 127.0.0.1:8765 (got ${JSON.stringify(text)})`);
  if (!isLoopback(host))
    throw new FixEmailAuthError(
      'BAD_INPUT',
      `--listen binds loopback only (127.0.0.1, ::1, localhost), not ${host}: the demo picker lets anyone who can connect act as any user`,
    );
  return { host, port };
}

/** Does something answer on this Unix socket right now? */
function answers(path: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    const done = (value: boolean) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(true)); // accepted but silent: someone is there
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Make the socket's directory private and clear a stale socket; throws with the reason otherwise. */
export async function prepareSocketPath(path: string): Promise<void> {
  const dir = dirname(path);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const dirStat = await fs.lstat(dir);
  if (!dirStat.isDirectory()) throw new Error(`${dir} (the socket's directory) is not a directory`);
  if (dirStat.mode & 0o002)
    throw new Error(`${dir} is writable by everyone; put the socket in a directory of its own (e.g. /run/fix-email-auth/)`);
  const uid = process.getuid?.();
  if (uid !== undefined && dirStat.uid !== uid)
    throw new Error(
      `${dir} belongs to uid ${dirStat.uid}, not to this process (uid ${uid}); the socket's directory must be the daemon's own`,
    );
  if ((dirStat.mode & 0o777) !== 0o700) await fs.chmod(dir, 0o700);

  let stat;
  try {
    stat = await fs.lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; not removing it`);
  if (await answers(path)) throw new Error(`another daemon answers on ${path}; stop it first`);
  await fs.unlink(path);
}

function listenOn(server: Server, args: [string] | [number, string]): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const ready = () => {
      server.off('error', onError);
      resolve();
    };
    if (args.length === 1) server.listen(args[0], ready);
    else server.listen(args[0], args[1], ready);
  });
}

export async function listenOnSocket(server: Server, path: string): Promise<void> {
  await prepareSocketPath(path);
  // The socket is created with mode 0600 (umask 177) so it is never reachable by others, not even
  // for the moment between listen() and chmod().
  const previous = process.umask(0o177);
  try {
    await listenOn(server, [path]);
  } finally {
    process.umask(previous);
  }
  await fs.chmod(path, 0o600);
}

export async function listenOnTcp(server: Server, host: string, port: number): Promise<number> {
  if (!isLoopback(host)) throw new FixEmailAuthError('BAD_INPUT', `the daemon's TCP mode binds loopback only, not ${host}`);
  await listenOn(server, [port, host]);
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

/** Remove our socket file at shutdown (only if it is still a socket). */
export async function removeSocket(path: string): Promise<void> {
  try {
    const stat = await fs.lstat(path);
    if (stat.isSocket()) await fs.unlink(path);
  } catch {
    // Already gone.
  }
}
