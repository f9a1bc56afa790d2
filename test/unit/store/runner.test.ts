import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { hostname } from 'os';
import { isRunnerAlive, newRunnerId } from '../../../src/adapters/store/runner';
import { itIf } from '../../support/requires';

const onLinux = existsSync('/proc/sys/kernel/random/boot_id');
const boot = onLinux ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '';
const linuxIt = itIf(onLinux, "Linux's /proc/sys/kernel/random/boot_id");

describe('runner ids', () => {
  const self = newRunnerId();

  it('when asked about itself, then it is alive', () => {
    expect(self).toMatch(new RegExp(`^${process.pid}@`));
    expect(isRunnerAlive(self, self)).toBe(true);
  });

  it('when the id cannot be parsed, names another host or another boot, then it counts as dead', () => {
    expect(isRunnerAlive('crashed-daemon', self)).toBe(false);
    expect(isRunnerAlive(`${process.ppid}@some-other-host/${boot}/abcd`, self)).toBe(false);
    expect(isRunnerAlive(`${process.ppid}@${hostname()}/another-boot/abcd`, self)).toBe(false);
  });

  linuxIt('when a live process of this boot holds it, then it is alive; when that process has exited, then it is dead', () => {
    expect(isRunnerAlive(`${process.ppid}@${hostname()}/${boot}/abcd`, self)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout.trim());
    expect(isRunnerAlive(`${deadPid}@${hostname()}/${boot}/abcd`, self)).toBe(false);
  });

  linuxIt('when it names our pid with another token, then it is an earlier process that reused the pid: dead', () => {
    expect(isRunnerAlive(`${process.pid}@${hostname()}/${boot}/other`, self)).toBe(false);
  });
});
