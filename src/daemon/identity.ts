/**
 * Who is asking (docs/design.md "Identity and trust"). On the root-only Unix socket the bridges' headers
 * are trusted: only root can connect, and the adminbin derives the user from the UID cPanel gives it.
 * Over TCP (demo) the same headers are ignored — anyone on the machine could send them — and the
 * identity comes from the signed demo session instead.
 */
import type { Actor } from '../adapters/store';

export type Role = 'user' | 'admin' | 'hook';

export interface Identity {
  role: Role;
  /** cPanel user (role user), WHM user (admin), hook name (hook). */
  user: string;
}

export const USER_HEADER = 'x-fix-email-auth-user';
export const ROLE_HEADER = 'x-fix-email-auth-role';
export const MOUNT_HEADER = 'x-fix-email-auth-mount';

/** cPanel and WHM user names (letters, digits; `root`); anything else is not an identity. */
const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const ROLES: ReadonlySet<string> = new Set<Role>(['user', 'admin', 'hook']);

export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** The identity the bridges sent, or undefined when it is absent or malformed (→ 401). */
export function identityFromHeaders(headers: Record<string, string | string[] | undefined>): Identity | undefined {
  const user = headers[USER_HEADER];
  const role = headers[ROLE_HEADER] ?? 'user';
  if (typeof user !== 'string' || typeof role !== 'string') return undefined;
  if (!isValidName(user) || !ROLES.has(role)) return undefined;
  return { role: role as Role, user };
}

/** How the journal and the audit log name the person. */
export function actorOf(identity: Identity): Actor {
  return { kind: identity.role, name: identity.user };
}
