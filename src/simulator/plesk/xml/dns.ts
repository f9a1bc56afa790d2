/**
 * The `<dns>` operator (https://docs.plesk.com/en-US/obsidian/api-rpc/reference/managing-dns.34756):
 * get_rec, add_rec, del_rec, get (zone type and status), get_master_server. Batches answer one
 * `<result>` per record or object, in order; a failure of one does not undo the others.
 *
 * Faithful to the two facts that shape every client:
 * - there is no update and no serial or etag: a change is add + delete, and whatever another user
 *   did between a client's read and its write is silently accepted;
 * - `<del_rec><filter/></del_rec>` (an empty filter) deletes every zone record on the server, or
 *   every template record with `<template/>`
 *   (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/deleting-dns-records.34864).
 */
import { child, childText, childrenNamed, type XmlElement, type XmlNode } from '../../../adapters/plesk/xml/nodes';
import type { DnsRecord, PleskDomain } from '../model';
import { ERR, PleskOpError } from '../records';
import type { DnsOp, XmlCall } from './context';
import { failed, ok } from './reply';

/** Filter kinds of dnsSelectionFilterType; one kind per filter, several values allowed. */
type Filter = { kind: 'all' } | { kind: 'id' | 'site-id' | 'site-alias-id'; values: number[] };

function parseFilter(filter: XmlElement | undefined): Filter {
  if (!filter) throw ERR.request('the filter node is required');
  if (filter.children.length === 0) return { kind: 'all' };
  const kinds = new Set(filter.children.map((c) => c.name));
  const [kind] = [...kinds];
  if (kinds.size !== 1 || (kind !== 'id' && kind !== 'site-id' && kind !== 'site-alias-id')) {
    throw ERR.request('a DNS filter holds ids of one kind: id, site-id or site-alias-id');
  }
  const values = filter.children.map((c) => Number(c.text));
  if (values.some((v) => !Number.isSafeInteger(v) || v < 0)) throw ERR.request('filter values are ids');
  return { kind, values };
}

/** The zone of a site (a subdomain's is its parent's) or alias, checked against the caller. */
function zoneOfTarget(call: XmlCall, kind: 'site-id' | 'site-alias-id', id: number): { domain: PleskDomain; zoneId: number } {
  const domain = kind === 'site-id' ? call.state.siteById(id) : call.state.aliasById(id);
  if (!domain) throw ERR.noDomain();
  if (!call.state.mayManage(call.caller, domain)) throw ERR.permission();
  if (domain.zoneId === null) throw ERR.noObject('DNS zone');
  return { domain, zoneId: domain.zoneId };
}

/** The site (or alias) a zone belongs to, for `<site-id>` in record data. */
function ownerOfZone(call: XmlCall, zoneId: number): PleskDomain | undefined {
  return [...call.state.domains.values()].find((d) => d.zoneId === zoneId && d.kind !== 'subdomain');
}

function recordData(call: XmlCall, record: DnsRecord): XmlNode[] {
  const fields: XmlNode[] = [];
  if (record.zoneId !== null) {
    const owner = ownerOfZone(call, record.zoneId);
    if (owner) fields.push(owner.kind === 'alias' ? { 'site-alias-id': String(owner.id) } : { 'site-id': String(owner.id) });
  }
  fields.push({ type: record.type }, { host: record.host }, { value: record.value }, { opt: record.opt });
  return fields;
}

function visible(call: XmlCall, record: DnsRecord): boolean {
  if (record.zoneId === null) return call.caller.type === 'admin';
  const owner = ownerOfZone(call, record.zoneId);
  return owner !== undefined && call.state.mayManage(call.caller, owner);
}

function zoneNames(call: XmlCall, zoneIds: Iterable<number | null>): string[] {
  return [...zoneIds].map((id) => (id === null ? '' : (call.state.zones.get(id)?.name ?? '')));
}

function fire(call: XmlCall, op: DnsOp, zoneIds: Iterable<number | null>): void {
  const failure = call.hooks.fire(op, zoneNames(call, zoneIds), call.state);
  if (failure) throw failure;
}

/** Records a filter selects, in id order; unknown record ids select nothing (get) or fail (del). */
function select(call: XmlCall, filter: Filter, template: boolean): DnsRecord[] {
  const all = [...call.state.records.values()].sort((a, b) => a.id - b.id);
  if (template) {
    if (filter.kind !== 'all') throw ERR.request('with <template/>, the filter must be empty');
    return all.filter((r) => r.zoneId === null && visible(call, r));
  }
  if (filter.kind === 'all') return all.filter((r) => r.zoneId !== null && visible(call, r));
  if (filter.kind === 'id') return all.filter((r) => filter.values.includes(r.id) && r.zoneId !== null && visible(call, r));
  const zones = new Set(filter.values.map((id) => zoneOfTarget(call, filter.kind as 'site-id' | 'site-alias-id', id).zoneId));
  return all.filter((r) => r.zoneId !== null && zones.has(r.zoneId));
}

function getRec(call: XmlCall, op: XmlElement): XmlNode[] {
  const template = child(op, 'template') !== undefined;
  try {
    const records = select(call, parseFilter(child(op, 'filter')), template);
    fire(call, 'get_rec', new Set(records.map((r) => r.zoneId)));
    // Re-select: a hook may have changed the records (a concurrent edit lands first).
    const now = select(call, parseFilter(child(op, 'filter')), template);
    return now.map((r) => ok({ id: String(r.id) }, { data: recordData(call, r) }));
  } catch (err) {
    if (err instanceof PleskOpError) return [failed(err)];
    throw err;
  }
}

function addRec(call: XmlCall, op: XmlElement): XmlNode[] {
  try {
    const siteId = childText(op, 'site-id');
    const aliasId = childText(op, 'site-alias-id');
    if (siteId !== undefined && aliasId !== undefined) throw ERR.request('site-id and site-alias-id exclude each other');
    let zoneId: number | null = null;
    if (siteId !== undefined || aliasId !== undefined) {
      const kind = siteId !== undefined ? 'site-id' : 'site-alias-id';
      const id = Number(siteId ?? aliasId);
      if (!Number.isSafeInteger(id)) throw ERR.noDomain();
      zoneId = zoneOfTarget(call, kind, id).zoneId;
    } else if (call.caller.type !== 'admin') throw ERR.permission();
    const type = childText(op, 'type');
    const value = childText(op, 'value');
    if (type === undefined || value === undefined) throw ERR.request('type and value are required');
    fire(call, 'add_rec', [zoneId]);
    const record = call.state.insertRecord(zoneId, type.toUpperCase(), childText(op, 'host') ?? '', value, childText(op, 'opt') ?? '');
    if (record.zoneId !== null) call.changed.add(record.zoneId);
    return [ok({ id: String(record.id) })];
  } catch (err) {
    if (err instanceof PleskOpError) return [failed(err)];
    throw err;
  }
}

function delRec(call: XmlCall, op: XmlElement): XmlNode[] {
  const template = child(op, 'template') !== undefined;
  try {
    const filter = parseFilter(child(op, 'filter'));
    const selected = select(call, filter, template);
    fire(call, 'del_rec', new Set(selected.map((r) => r.zoneId)));
    const results: XmlNode[] = [];
    if (filter.kind === 'id') {
      for (const id of filter.values) {
        const record = call.state.records.get(id);
        if (!record || record.zoneId === null || !visible(call, record)) {
          results.push(failed(ERR.noRecord(), { id: String(id) }));
          continue;
        }
        call.state.deleteRecord(id);
        call.changed.add(record.zoneId);
        results.push(ok({ id: String(id) }));
      }
      return results;
    }
    // Empty filter: everything (the documented trap); site filters: whole zones.
    for (const record of select(call, filter, template)) {
      call.state.deleteRecord(record.id);
      if (record.zoneId !== null) call.changed.add(record.zoneId);
      results.push(ok({ id: String(record.id) }));
    }
    return results;
  } catch (err) {
    if (err instanceof PleskOpError) return [failed(err)];
    throw err;
  }
}

/** Zone type and status (+ SOA timers), one result per site or alias of the filter. */
function getZone(call: XmlCall, op: XmlElement): XmlNode[] {
  const filter = child(op, 'filter');
  const targets = [
    ...childrenNamed(filter, 'site-id').map((e) => ['site-id', e.text]),
    ...childrenNamed(filter, 'site-alias-id').map((e) => ['site-alias-id', e.text]),
  ] as Array<['site-id' | 'site-alias-id', string]>;
  return targets.map(([kind, text]) => {
    try {
      const { zoneId } = zoneOfTarget(call, kind, Number(text));
      const zone = call.state.zones.get(zoneId);
      if (!zone) throw ERR.noObject('DNS zone');
      const soa: XmlNode = { soa: [{ ttl: '86400' }, { refresh: '10800' }, { retry: '3600' }, { expire: '604800' }, { minimum: '10800' }] };
      // Field names of zone type/status in the answer are unverified (the doc page lists them as "zone type, zone status").
      return ok(
        { [kind]: text },
        ...(child(op, 'soa') ? [soa] : []),
        { 'zone-type': zone.mode === 'secondary' ? 'slave' : 'master' },
        { 'zone-status': zone.mode === 'disabled' ? 'disabled' : 'enabled' },
      );
    } catch (err) {
      if (err instanceof PleskOpError) return failed(err, { [kind]: text });
      throw err;
    }
  });
}

function getMasterServer(call: XmlCall, op: XmlElement): XmlNode[] {
  const filter = child(op, 'filter');
  const siteId = childText(filter, 'site-id');
  const aliasId = childText(filter, 'site-alias-id');
  try {
    const { zoneId } = zoneOfTarget(call, siteId !== undefined ? 'site-id' : 'site-alias-id', Number(siteId ?? aliasId));
    const zone = call.state.zones.get(zoneId);
    return (zone?.masters ?? []).map((ip, index) => ok({ id: String(index + 1) }, { ip_address: ip }));
  } catch (err) {
    if (err instanceof PleskOpError) return [failed(err)];
    throw err;
  }
}

const OPERATIONS: Record<string, (call: XmlCall, op: XmlElement) => XmlNode[]> = {
  get_rec: getRec,
  add_rec: addRec,
  del_rec: delRec,
  get: getZone,
  get_master_server: getMasterServer,
};

export function runDns(call: XmlCall, dns: XmlElement): XmlNode {
  if (call.caller.type !== 'admin' && !call.caller.manageDns) {
    return { dns: dns.children.map((op) => ({ [op.name]: [failed(ERR.permission())] })) };
  }
  return {
    dns: dns.children.map((op) => {
      const run = OPERATIONS[op.name];
      return { [op.name]: run ? run(call, op) : [failed(ERR.request(`unknown operation ${op.name}`))] };
    }),
  };
}
