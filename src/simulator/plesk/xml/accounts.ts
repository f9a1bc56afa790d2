/**
 * Who owns what, through the XML API:
 * - `<server><get><admin-domain-list/>` and `<customer|reseller><get-domain-list>`: domains with
 *   `id name ascii-name type main guid external-id parent-id domain-id`
 *   (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-plesk-server/getting-server-information/response-packet-structure-and-samples/list-of-domains.75294;
 *   the `<domains>` wrapper of get-domain-list is unverified);
 * - `<customer><get>` (gen_info: login, owner-id) and `<reseller><get>` (gen-info: login) — field
 *   names beyond `login` unverified;
 * - `<site><get>` gen_info with `webspace-id` (real answer: go-acme/lego fixture `get-site.xml`).
 */
import { child, childrenNamed, type XmlElement, type XmlNode } from '../../../adapters/plesk/xml/nodes';
import type { PleskClient, PleskDomain } from '../model';
import { ERR, PleskOpError } from '../records';
import type { XmlCall } from './context';
import { failed, ok } from './reply';

function domainNode(domain: PleskDomain): XmlNode {
  const fields: XmlNode[] = [
    { id: String(domain.id) },
    { name: domain.name },
    { 'ascii-name': domain.name },
    { type: domain.kind },
    { main: String(domain.main) },
    { guid: domain.guid },
    { 'external-id': '' },
  ];
  if (domain.kind === 'subdomain' && domain.parentId !== null) fields.push({ 'parent-id': String(domain.parentId) });
  if (domain.kind === 'alias' && domain.parentId !== null) fields.push({ 'domain-id': String(domain.parentId) });
  return { domain: fields };
}

function domainsOf(call: XmlCall, ownerId: number): XmlNode[] {
  return [...call.state.domains.values()]
    .filter((d) => d.ownerId === ownerId)
    .sort((a, b) => a.id - b.id)
    .map(domainNode);
}

/** Clients of `type` a filter names (`<id>`, `<login>`, or empty / `<all/>` for all), visible to the caller. */
function selectClients(call: XmlCall, type: 'customer' | 'reseller', filter: XmlElement | undefined): Array<PleskClient | PleskOpError> {
  const all = [...call.state.clients.values()].filter(
    (c) => c.type === type && (call.caller.type === 'admin' || c.id === call.caller.id || c.ownerId === call.caller.id),
  );
  if (!filter || filter.children.length === 0 || child(filter, 'all')) return all;
  return filter.children.map((f) => {
    const found = all.find((c) => (f.name === 'id' ? String(c.id) === f.text : f.name === 'login' ? c.login === f.text : false));
    return found ?? ERR.noObject('Client');
  });
}

function getDomainList(call: XmlCall, type: 'customer' | 'reseller', op: XmlElement): XmlNode[] {
  return selectClients(call, type, child(op, 'filter')).map((c) =>
    c instanceof PleskOpError ? failed(c) : ok({ id: String(c.id) }, { domains: domainsOf(call, c.id) }),
  );
}

function getClients(call: XmlCall, type: 'customer' | 'reseller', op: XmlElement): XmlNode[] {
  const datasetName = type === 'customer' ? 'gen_info' : 'gen-info';
  return selectClients(call, type, child(op, 'filter')).map((c) => {
    if (c instanceof PleskOpError) return failed(c);
    const info: XmlNode[] = [{ cname: '' }, { pname: c.name }, { login: c.login }, { guid: c.guid }];
    if (type === 'customer') info.push({ 'owner-id': String(c.ownerId) });
    return ok({ id: String(c.id) }, { data: [{ [datasetName]: info }] });
  });
}

function getSites(call: XmlCall, op: XmlElement): XmlNode[] {
  const filter = child(op, 'filter');
  const wanted = [
    ...childrenNamed(filter, 'id').map((e) => ({ key: e.text, by: 'id' as const })),
    ...childrenNamed(filter, 'name').map((e) => ({ key: e.text, by: 'name' as const })),
  ];
  return wanted.map(({ key, by }) => {
    const domain = by === 'id' ? call.state.siteById(Number(key)) : call.state.domainByName(key);
    if (!domain || domain.kind === 'alias' || !call.state.mayManage(call.caller, domain))
      return failed(ERR.noObject('Site'), { 'filter-id': key });
    const webspace = call.state.domains.get(domain.webspaceId);
    return ok(
      { 'filter-id': key },
      { id: String(domain.id) },
      {
        data: [
          {
            gen_info: [
              { name: domain.name },
              { 'ascii-name': domain.name },
              { status: String(domain.status) },
              { dns_ip_address: domain.ip },
              { htype: 'vrt_hst' },
              { guid: domain.guid },
              { 'webspace-guid': webspace?.guid ?? '' },
              { 'webspace-id': String(domain.webspaceId) },
              ...(domain.kind === 'subdomain' && domain.parentId !== null ? [{ 'parent-site-id': String(domain.parentId) }] : []),
            ],
          },
        ],
      },
    );
  });
}

export function runServer(call: XmlCall, server: XmlElement): XmlNode {
  return {
    server: server.children.map((op): XmlNode => {
      if (op.name !== 'get') return { [op.name]: [failed(ERR.request(`unknown operation ${op.name}`))] };
      if (call.caller.type !== 'admin') return { get: [failed(ERR.permission())] };
      const fields: XmlNode[] = [];
      if (child(op, 'admin-domain-list')) fields.push({ 'admin-domain-list': domainsOf(call, call.state.adminId) });
      return { get: [ok(...fields)] };
    }),
  };
}

export function runClients(call: XmlCall, type: 'customer' | 'reseller', element: XmlElement): XmlNode {
  return {
    [type]: element.children.map((op): XmlNode => {
      if (op.name === 'get-domain-list') return { [op.name]: getDomainList(call, type, op) };
      if (op.name === 'get') return { get: getClients(call, type, op) };
      return { [op.name]: [failed(ERR.request(`unknown operation ${op.name}`))] };
    }),
  };
}

export function runSite(call: XmlCall, element: XmlElement): XmlNode {
  return {
    site: element.children.map((op): XmlNode =>
      op.name === 'get' ? { get: getSites(call, op) } : { [op.name]: [failed(ERR.request(`unknown operation ${op.name}`))] },
    ),
  };
}

/** `<packet>`'s operators in order; an unknown operator answers an error in its own node. */
export function runOperator(call: XmlCall, operator: XmlElement, dns: (call: XmlCall, e: XmlElement) => XmlNode): XmlNode {
  switch (operator.name) {
    case 'dns':
      return dns(call, operator);
    case 'server':
      return runServer(call, operator);
    case 'customer':
    case 'reseller':
      return runClients(call, operator.name, operator);
    case 'site':
      return runSite(call, operator);
    default:
      return { [operator.name]: [failed(ERR.request(`operator ${operator.name} is not simulated`))] };
  }
}
