/**
 * Guards for the names we put into URL paths and argv: function, module and user names come from our
 * own code or config, but a user name may come from a request, and a `/`, `?` or leading `-` must never
 * change which endpoint or CLI option is used.
 */
import { FixEmailAuthError } from '../../errors';

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
/** cPanel user names: lower-case letters and digits (we accept a little more; cPanel decides). */
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function assertApiName(kind: 'function' | 'module', name: string): void {
  if (!API_NAME.test(name)) throw new FixEmailAuthError('BAD_INPUT', `Invalid cPanel API ${kind} name “${name}”`, { step: 'input' });
}

export function assertUserName(user: string): void {
  if (!USER_NAME.test(user)) throw new FixEmailAuthError('BAD_INPUT', `Invalid cPanel user name “${user}”`, { step: 'input' });
}
