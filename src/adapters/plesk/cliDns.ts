/**
 * `PleskDns` over `plesk bin dns`: `--info <zone>` lists records as `<absolute name> <TYPE> <value>`
 * (no ids, no TTL), `--add`/`--del <zone> -txt <value> -domain <label>` add or delete by content
 * (https://docs.plesk.com/en-US/obsidian/cli-linux/using-command-line-utilities/dns-dns-zones-on-domains.37771;
 * the `-txt/-domain` pair from public scripts, docs/reference/plesk.md §4). Without ids the guard compares by
 * content: a record's key is a hash of type, name, value and priority — weaker than the XML API's
 * id comparison (a delete-and-re-add of the same value is not seen). Only TXT records are written
 * this way; that is all the tool writes.
 */
import { createHash } from 'crypto';
import { FixEmailAuthError } from '../../errors';
import { cliFailure, type PleskCli } from './cli';
import type { DeleteOutcome, PleskDns } from './dns';
import type { NewRecord, PleskRecord, PleskZoneRef } from './types';

export function contentKey(r: Pick<PleskRecord, 'type' | 'host' | 'value' | 'opt'>): string {
  return `${r.type.toLowerCase()}:${createHash('sha256').update(`${r.type}\u0000${r.host}\u0000${r.value}\u0000${r.opt}`).digest('hex').slice(0, 32)}`;
}

const WITH_PRIORITY = new Set(['MX', 'SRV']);

/** The record lines of `--info`: `name. TYPE value…` (header and blank lines skipped). */
export function parseDnsInfo(stdout: string): PleskRecord[] {
  const records: PleskRecord[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^(\S+\.)\s+([A-Z][A-Z0-9]*)\s+(.*)$/.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const [, rawHost, type, rest] = match as unknown as [string, string, string, string];
    let value = rest;
    let opt = '';
    if (WITH_PRIORITY.has(type)) {
      const parts = rest.split(/\s+/);
      value = parts.pop() ?? '';
      opt = parts.join(' ');
    }
    const host = rawHost.replace(/[A-Z]+/g, (m) => m.toLowerCase());
    const record = { type, host, value, opt };
    records.push({ key: contentKey(record), id: null, ...record });
  }
  return records;
}

export class CliDns implements PleskDns {
  readonly kind = 'cli' as const;

  constructor(private readonly cli: PleskCli) {}

  async readZone(ref: PleskZoneRef): Promise<PleskRecord[]> {
    const answer = await this.cli.run('dns', ['--info', ref.zone], 'read');
    if (answer.code !== 0) throw cliFailure(`Reading the DNS records of ${ref.zone}`, answer, 'read');
    return parseDnsInfo(answer.stdout);
  }

  private txtArgs(command: '--add' | '--del', zone: string, record: { type: string; host: string; value: string }): string[] {
    if (record.type !== 'TXT')
      throw new FixEmailAuthError('BAD_INPUT', `Through plesk bin dns the tool writes TXT records only, not ${record.type}`, {
        step: 'apply',
      });
    return [command, zone, '-txt', record.value, '-domain', record.host];
  }

  async add(ref: PleskZoneRef, record: NewRecord): Promise<PleskRecord> {
    const answer = await this.cli.run('dns', this.txtArgs('--add', ref.zone, record), 'apply');
    const what = `Adding a TXT record at ${record.host || '@'} in ${ref.zone}`;
    if (answer.code === 2)
      throw new FixEmailAuthError('CONFLICT', `${what}: the record already exists`, { step: 'apply', upstream: answer });
    if (answer.code !== 0) throw cliFailure(what, answer, 'apply');
    const host = record.host === '' ? `${ref.zone}.` : `${record.host.toLowerCase()}.${ref.zone}.`;
    const added = { type: record.type, host, value: record.value, opt: record.opt ?? '' };
    return { key: contentKey(added), id: null, ...added };
  }

  async remove(ref: PleskZoneRef, records: readonly [PleskRecord, ...PleskRecord[]]): Promise<DeleteOutcome[]> {
    const outcomes: DeleteOutcome[] = [];
    for (const record of records) {
      const suffix = `.${ref.zone}.`;
      const label = record.host === `${ref.zone}.` ? '' : record.host.endsWith(suffix) ? record.host.slice(0, -suffix.length) : null;
      if (label === null) throw new FixEmailAuthError('BAD_INPUT', `${record.host} is not in the zone ${ref.zone}`, { step: 'apply' });
      const answer = await this.cli.run('dns', this.txtArgs('--del', ref.zone, { ...record, host: label }), 'apply');
      const missing = answer.code !== 0 && /does not exist|not found|unable to find record/i.test(`${answer.stderr}${answer.stdout}`);
      outcomes.push({
        key: record.key,
        failure: answer.code === 0 ? null : { errcode: missing ? 1013 : answer.code, errtext: (answer.stderr || answer.stdout).trim() },
      });
    }
    return outcomes;
  }
}
