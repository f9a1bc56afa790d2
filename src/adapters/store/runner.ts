/**
 * Which process works a job. Recovery must never take work from a process that is still running it
 * (the CLI may run a bulk job while the daemon restarts), and must never leave work stuck because a
 * dead runner's pid was reused. So a runner id names the pid, the host, the Linux boot (pids restart
 * after a reboot) and a random token for this process (pids are reused within a boot too).
 */
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { hostname } from 'os';

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return 'unknown-boot';
  }
}

/** `pid@host/boot/token` — unique to this process. */
export function newRunnerId(): string {
  return `${process.pid}@${hostname()}/${bootId()}/${randomBytes(4).toString('hex')}`;
}

const RUNNER = /^(\d+)@([^/]*)\/([^/]*)\/([^/]*)$/;

/**
 * Is the process named by `runner` still alive? `self` is this process's runner id. Anything we
 * cannot parse or check (another host, another boot, a test name) counts as dead, so its work is
 * reconciled rather than stuck.
 */
export function isRunnerAlive(runner: string, self: string): boolean {
  if (runner === self) return true;
  const match = RUNNER.exec(runner);
  if (!match) return false;
  const [, pidText, host, boot] = match;
  if (host !== hostname() || boot !== bootId() || boot === 'unknown-boot') return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false; // our pid, but not our token: a previous process with the same pid
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
