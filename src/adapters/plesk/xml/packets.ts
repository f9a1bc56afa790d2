/**
 * The only XML API packets the adapter sends, each built from typed input. There is no generic
 * "send this packet": a caller cannot reach the XML API except through these builders.
 *
 * `<del_rec>` is the dangerous one: with an empty `<filter/>` it deletes EVERY record of every zone
 * on the server (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/deleting-dns-records.34864),
 * and a filter by `site-id` deletes a whole zone. So a delete is built only from record ids, and:
 * - the type demands at least one id (`NonEmptyIds`), so `delRecByIds([])` does not compile;
 * - at run time every id must be a positive safe integer and there must be at least one, else
 *   UNSAFE_VALUE is thrown before anything is sent;
 * - `assertNoBroadDelete` re-reads the finished packet and refuses any `<del_rec>` whose filter is not
 *   a list of `<id>`s — the last check before the bytes leave (the transport calls it on every packet).
 */
import { FixEmailAuthError } from '../../../errors';
import type { NewRecord, PleskZoneRef } from '../types';
import { buildXml, child, parseXml, type XmlNode } from './nodes';

/** At least one record id, by type. */
export type NonEmptyIds = readonly [number, ...number[]];

function unsafe(message: string): FixEmailAuthError {
  return new FixEmailAuthError('UNSAFE_VALUE', message, { step: 'apply' });
}

function checkId(id: unknown, what: string): string {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
    throw unsafe(`${what} must be a positive integer id, got ${String(id)}`);
  return String(id);
}

function target(ref: PleskZoneRef): XmlNode {
  if (ref.siteId !== undefined) return { 'site-id': checkId(ref.siteId, 'site-id') };
  if (ref.aliasId !== undefined) return { 'site-alias-id': checkId(ref.aliasId, 'site-alias-id') };
  // add_rec without a site goes to the server DNS template; get_rec/del_rec by site would be all zones.
  throw unsafe(`the zone ${ref.zone} has no site or alias id; nothing is sent without one`);
}

const packet = (operator: string, ops: XmlNode[]) => buildXml({ packet: [{ [operator]: ops }] });

/** Every record of one zone. */
export function getRecOfZone(ref: PleskZoneRef): string {
  return packet('dns', [{ get_rec: [{ filter: [target(ref)] }] }]);
}

/** These records by id (an id that no longer exists comes back as nothing). */
export function getRecByIds(ids: NonEmptyIds): string {
  if (!Array.isArray(ids) || ids.length === 0) throw unsafe('a read by id needs at least one id');
  return packet('dns', [{ get_rec: [{ filter: ids.map((id) => ({ id: checkId(id, 'record id') })) }] }]);
}

/** The server DNS template's records (`<template/>` with the empty filter it requires). */
export function getRecOfTemplate(): string {
  return packet('dns', [{ get_rec: [{ filter: [] }, { template: '' }] }]);
}

export function addRec(ref: PleskZoneRef, record: NewRecord): string {
  const fields: XmlNode[] = [target(ref), { type: record.type }, { host: record.host }, { value: record.value }];
  if (record.opt) fields.push({ opt: record.opt });
  return packet('dns', [{ add_rec: fields }]);
}

/** Delete exactly these records: one `<del_rec>` per id, so each gets its own result. */
export function delRecByIds(ids: NonEmptyIds): string {
  if (!Array.isArray(ids) || ids.length === 0)
    throw unsafe('refusing to build <del_rec> without record ids: an empty filter deletes every DNS record on the server');
  const text = packet(
    'dns',
    ids.map((id) => ({ del_rec: [{ filter: [{ id: checkId(id, 'record id') }] }] })),
  );
  assertNoBroadDelete(text);
  return text;
}

/** Zone type and status of these zones. */
export function getZoneState(refs: readonly PleskZoneRef[]): string {
  return packet('dns', [{ get: [{ filter: refs.map(target) }] }]);
}

export function getMasterServers(ref: PleskZoneRef): string {
  return packet('dns', [{ get_master_server: [{ filter: [target(ref)] }] }]);
}

export function adminDomainList(): string {
  return packet('server', [{ get: [{ 'admin-domain-list': '' }] }]);
}

/** Every customer or reseller, with login (and a customer's owner-id). */
export function listClients(kind: 'customer' | 'reseller'): string {
  const dataset = kind === 'customer' ? 'gen_info' : 'gen-info';
  const filter: XmlNode = kind === 'customer' ? { filter: [] } : { filter: [{ all: '' }] };
  return packet(kind, [{ get: [filter, { dataset: [{ [dataset]: '' }] }] }]);
}

export function domainListOf(kind: 'customer' | 'reseller', ids: NonEmptyIds): string {
  return packet(kind, [{ 'get-domain-list': [{ filter: ids.map((id) => ({ id: checkId(id, `${kind} id`) })) }] }]);
}

/** gen_info (with `webspace-id`) of these sites. */
export function siteInfo(ids: NonEmptyIds): string {
  return packet('site', [{ get: [{ filter: ids.map((id) => ({ id: checkId(id, 'site id') })) }, { dataset: [{ gen_info: '' }] }] }]);
}

/**
 * The last gate: every `<del_rec>` in the packet must filter by one or more `<id>` and nothing else,
 * and must not name the template. Throws UNSAFE_VALUE otherwise.
 */
export function assertNoBroadDelete(packetText: string): void {
  if (!packetText.includes('del_rec')) return;
  let root;
  try {
    root = parseXml(packetText);
  } catch {
    throw unsafe('refusing to send a packet that mentions del_rec and is not well-formed XML');
  }
  for (const operator of root.children) {
    for (const op of operator.children) {
      if (op.name !== 'del_rec') continue;
      const filter = child(op, 'filter');
      const ids = filter?.children ?? [];
      const onlyIds = ids.length > 0 && ids.every((c) => c.name === 'id' && /^[1-9][0-9]{0,15}$/.test(c.text));
      if (!onlyIds || child(op, 'template') !== undefined || op.children.length !== 1) {
        throw unsafe(
          'refusing to send <del_rec> whose filter is not a list of record ids: Plesk would delete whole zones or every record on the server',
        );
      }
    }
  }
}
