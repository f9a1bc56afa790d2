/**
 * Pieces of XML API answers: one `<result>` per object, `ok` or `error` with code and text
 * (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-dns/managing-dns-records/adding-dns-record.34798;
 * real samples: go-acme/lego `providers/dns/plesk/internal/fixtures/*.xml`).
 */
import { buildXml, type XmlNode } from '../../../adapters/plesk/xml/nodes';
import type { PleskOpError } from '../records';

export const PACKET_VERSION = '1.6.9.1';

export function ok(...fields: XmlNode[]): XmlNode {
  return { result: [{ status: 'ok' }, ...fields] };
}

export function failed(err: PleskOpError, ...fields: XmlNode[]): XmlNode {
  return { result: [{ status: 'error' }, { errcode: String(err.errcode) }, { errtext: err.errtext }, ...fields] };
}

/** `<packet version="…">…</packet>` around the operators' answers. */
export function packet(operators: XmlNode[]): string {
  return buildXml({ packet: operators })
    .replace('<packet>', `<packet version="${PACKET_VERSION}">`)
    .replace('<packet/>', `<packet version="${PACKET_VERSION}"/>`);
}

/** The whole-packet failure of bad credentials (lego `global-error.xml`). */
export function systemError(err: PleskOpError): string {
  return packet([{ system: [{ status: 'error' }, { errcode: String(err.errcode) }, { errtext: err.errtext }] }]);
}
