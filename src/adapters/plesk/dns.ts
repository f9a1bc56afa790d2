/**
 * `PleskDns`: what the compare-and-set guard (guard.ts) needs of a zone — read all its records, add
 * one, delete some — with two implementations: the XML API by record id (this file) and the CLI by
 * record content (cliDns.ts). Deletes take a non-empty list of records the caller read before; the
 * XML side turns them into `<del_rec>` by id only (xml/packets.ts).
 */
import type { Step } from '../../errors';
import type { NewRecord, PleskRecord, PleskZoneRef } from './types';
import { failureError, failureOf, okResults, opsOf, readPacket, recordOf, resultsOf, type OpFailure } from './xml/answers';
import { childText } from './xml/nodes';
import { addRec, delRecByIds, getRecByIds, getRecOfTemplate, getRecOfZone, type NonEmptyIds } from './xml/packets';
import type { PleskXmlTransport } from './xmlTransport';

/** Outcome of deleting one record: gone, or Plesk's error (1013 = it was already gone). */
export interface DeleteOutcome {
  key: string;
  failure: OpFailure | null;
}

export interface PleskDns {
  readonly kind: 'xml' | 'cli';
  readZone(ref: PleskZoneRef): Promise<PleskRecord[]>;
  add(ref: PleskZoneRef, record: NewRecord): Promise<PleskRecord>;
  /** Each record deleted on its own (partial success possible); never a broader delete. */
  remove(ref: PleskZoneRef, records: readonly [PleskRecord, ...PleskRecord[]]): Promise<DeleteOutcome[]>;
}

export class XmlDns implements PleskDns {
  readonly kind = 'xml' as const;

  constructor(private readonly transport: PleskXmlTransport) {}

  private async send(packet: string, what: string, step: Step) {
    return readPacket(await this.transport.post(packet, what, step), what, step);
  }

  async readZone(ref: PleskZoneRef): Promise<PleskRecord[]> {
    const what = `Reading the DNS records of ${ref.zone}`;
    const root = await this.send(getRecOfZone(ref), what, 'read');
    return okResults(resultsOf(root, 'dns', 'get_rec'), what, 'read').map(recordOf);
  }

  /** Records by id; ids that no longer exist are simply absent. */
  async readByIds(ids: NonEmptyIds): Promise<PleskRecord[]> {
    const what = 'Reading DNS records by id';
    const root = await this.send(getRecByIds(ids), what, 'read');
    return okResults(resultsOf(root, 'dns', 'get_rec'), what, 'read').map(recordOf);
  }

  /** The server DNS template (`<domain>` placeholders kept). */
  async readTemplate(): Promise<PleskRecord[]> {
    const what = 'Reading the server DNS template';
    const root = await this.send(getRecOfTemplate(), what, 'read');
    return okResults(resultsOf(root, 'dns', 'get_rec'), what, 'read').map(recordOf);
  }

  async add(ref: PleskZoneRef, record: NewRecord): Promise<PleskRecord> {
    const what = `Adding a ${record.type} record at ${record.host || '@'} in ${ref.zone}`;
    const root = await this.send(addRec(ref, record), what, 'apply');
    const [result] = resultsOf(root, 'dns', 'add_rec');
    if (!result) throw failureError(what, { errcode: 0, errtext: 'no result in the answer' }, 'apply');
    const failure = failureOf(result);
    if (failure) throw failureError(what, failure, 'apply');
    const id = Number(childText(result, 'id'));
    const host = record.host === '' ? `${ref.zone}.` : `${record.host.toLowerCase()}.${ref.zone}.`;
    return { key: String(id), id, type: record.type, host, value: record.value, opt: record.opt ?? '' };
  }

  async remove(ref: PleskZoneRef, records: readonly [PleskRecord, ...PleskRecord[]]): Promise<DeleteOutcome[]> {
    const ids = records.map((r) => r.id) as unknown as NonEmptyIds;
    const what = `Deleting ${records.length} DNS record(s) from ${ref.zone}`;
    const root = await this.send(delRecByIds(ids), what, 'apply');
    const ops = opsOf(root, 'dns', 'del_rec');
    return records.map((record, index) => {
      const result = ops[index]?.children.find((c) => c.name === 'result');
      return { key: record.key, failure: result ? failureOf(result) : { errcode: 0, errtext: 'no result in the answer' } };
    });
  }
}
