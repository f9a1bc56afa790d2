/**
 * Token authentication as cpsrvd does it before the API layer (docs/reference/cpanel-api.md §1): the cPanel side
 * takes `Authorization: cpanel USER:TOKEN`, the WHM side `Authorization: whm USER:TOKEN`. Anything
 * else is refused before any API runs (the handler answers 401 with a non-JSON body, unverified).
 */
import type { TokenSpec } from './seed';

export type Side = 'cpanel' | 'whm';

export interface AuthenticatedCaller {
  side: Side;
  user: string;
  /** The WHM token's ACL list; undefined = full access (the user's own ACLs). */
  acls?: readonly string[];
}

export type AuthOutcome = { ok: true; caller: AuthenticatedCaller } | { ok: false; reason: string };

export class TokenRegistry {
  private readonly tokens: TokenSpec[];

  constructor(tokens: readonly TokenSpec[]) {
    this.tokens = tokens.map((t) => ({ ...t }));
  }

  add(token: TokenSpec): void {
    this.tokens.push({ ...token });
  }

  /** Revoke by token value (every kind/user that uses it). */
  revoke(token: string): void {
    for (let i = this.tokens.length - 1; i >= 0; i--) if (this.tokens[i]?.token === token) this.tokens.splice(i, 1);
  }

  /** Drop every token of a user (deleting or suspending an account revokes its tokens, §1). */
  revokeUser(user: string): void {
    for (let i = this.tokens.length - 1; i >= 0; i--) if (this.tokens[i]?.user === user) this.tokens.splice(i, 1);
  }

  list(): TokenSpec[] {
    return this.tokens.map((t) => ({ ...t }));
  }

  /**
   * Check an Authorization header for one side. The scheme must match the side: a cPanel token on
   * the WHM port (or the reverse) is refused like a wrong token.
   */
  authenticate(side: Side, header: string | undefined, isUsable: (user: string) => boolean): AuthOutcome {
    if (!header) return { ok: false, reason: 'no Authorization header' };
    const match = /^(\S+)\s+([^:\s]+):(\S+)$/.exec(header.trim());
    if (!match) return { ok: false, reason: 'malformed Authorization header' };
    const [, scheme, user, token] = match as unknown as [string, string, string, string];
    if (scheme.toLowerCase() !== side) return { ok: false, reason: `${scheme} credentials on the ${side} port` };
    const known = this.tokens.find((t) => t.kind === side && t.user === user && t.token === token);
    if (!known) return { ok: false, reason: 'unknown user or token' };
    if (!isUsable(user)) return { ok: false, reason: `${user} may not log in` };
    return { ok: true, caller: { side, user, ...(known.acls ? { acls: [...known.acls] } : {}) } };
  }
}
