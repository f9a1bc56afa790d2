/**
 * The server DNS template through `plesk bin server_dns` (docs/reference/plesk.md §4, §6.1): read with
 * `--info` (one record per line, `<host with <domain>> <TYPE> <value>`, as `dns --info` prints a zone),
 * changed with `--add`/`--del -txt <value> -domain _mailchannels` (the TXT form of these options is
 * unverified; `dns` takes the same pair). The new record is added before the old ones go, as in the
 * zones (guard.ts): a template without a lockdown record for a moment is worse than one with two.
 * Through the XML API the template can be read but a single template record cannot be deleted without
 * an empty filter, which would delete the whole template (§2.3) — so the CLI does the writing.
 */
import { FixEmailAuthError } from '../../errors';
import type { DnsTemplate } from '../../ports';
import type { PleskCli } from './cli';

const LOCKDOWN_HOST = '_mailchannels.<domain>.';

export class PleskDnsTemplate implements DnsTemplate {
  constructor(private readonly cli: PleskCli) {}

  async lockdownValues(): Promise<string[]> {
    const answer = await this.cli.run('server_dns', ['--info'], 'read');
    if (answer.code !== 0)
      throw new FixEmailAuthError('API_ERROR', `plesk bin server_dns --info failed: ${answer.stderr.trim() || `exit ${answer.code}`}`, {
        step: 'read',
      });
    return answer.stdout
      .split('\n')
      .map((line) => /^(\S+)\s+TXT\s+(.*)$/i.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null && m[1]?.toLowerCase() === LOCKDOWN_HOST)
      .map((m) => (m[2] ?? '').trim());
  }

  async replaceLockdown(stale: readonly string[], value: string): Promise<void> {
    const add = await this.cli.run('server_dns', ['--add', '-txt', value, '-domain', '_mailchannels'], 'apply');
    // Exit 2: the record is there already (docs/reference/plesk.md §4).
    if (add.code !== 0 && add.code !== 2)
      throw new FixEmailAuthError('API_ERROR', `Adding the lockdown record to the DNS template failed: ${add.stderr.trim()}`, {
        step: 'apply',
      });
    for (const old of stale.filter((v) => v !== value)) {
      const del = await this.cli.run('server_dns', ['--del', '-txt', old, '-domain', '_mailchannels'], 'apply');
      if (del.code !== 0)
        throw new FixEmailAuthError(
          'API_ERROR',
          `The new record is in the DNS template, but removing "${old}" failed: ${del.stderr.trim() || `exit ${del.code}`}`,
          { step: 'apply' },
        );
    }
  }
}
