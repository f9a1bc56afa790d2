/** Who is acting, for the journal and audit log: the shell user (through sudo, the real one). */
import type { Actor } from '../adapters/store/types';
import type { CliIO } from './io';

export function cliActor(io: CliIO): Actor {
  const name = io.env.SUDO_USER || io.env.USER || io.env.LOGNAME || 'root';
  return { kind: 'cli', name: name.slice(0, 64) };
}
