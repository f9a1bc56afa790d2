/**
 * Every domain of a Plesk server with its type, customer, reseller, subscription and zone, from the
 * XML API (admin key):
 * - resellers and customers (`<reseller|customer><get>`: login, a customer's `owner-id`);
 * - each one's domains (`get-domain-list`) and the admin's (`<server><get><admin-domain-list/>`):
 *   `type` domain|subdomain|alias, `main`, `parent-id` (subdomain), `domain-id` (alias)
 *   (https://docs.plesk.com/en-US/obsidian/api-rpc/about-xml-api/reference/managing-plesk-server/getting-server-information/response-packet-structure-and-samples/list-of-domains.75294);
 * - each site's `webspace-id` and `status` (`<site><get>` gen_info; go-acme/lego fixture `get-site.xml`).
 * Mapped to the shared model (ports.ts): main domain → main, additional → addon, subdomain → sub
 * (in its parent's zone: separate subdomain zones are unverified), alias → parked (its own zone
 * when it has one; `manage-dns` is not in the list, so authority() finds out).
 */
import type { Step } from '../../errors';
import type { DomainType } from '../../ports';
import type { PleskDomainInfo } from './types';
import { okResults, readPacket, resultsOf } from './xml/answers';
import { child, childText, childrenNamed, type XmlElement } from './xml/nodes';
import { adminDomainList, domainListOf, listClients, siteInfo, type NonEmptyIds } from './xml/packets';
import type { PleskXmlTransport } from './xmlTransport';

interface ListedDomain {
  id: number;
  name: string;
  kind: 'domain' | 'subdomain' | 'alias';
  main: boolean;
  parentId: number | null;
  aliasOf: number | null;
  /** Login of the client whose list named it. */
  user: string;
  owner: string;
}

const STEP: Step = 'read';

function listed(element: XmlElement, user: string, owner: string): ListedDomain {
  const id = (name: string) => {
    const text = childText(element, name);
    return text === undefined || text === '' ? null : Number(text);
  };
  const kind = childText(element, 'type');
  return {
    id: Number(childText(element, 'id')),
    name: (childText(element, 'ascii-name') || childText(element, 'name') || '').toLowerCase(),
    kind: kind === 'subdomain' || kind === 'alias' ? kind : 'domain',
    main: childText(element, 'main') === 'true',
    parentId: id('parent-id'),
    aliasOf: id('domain-id'),
    user,
    owner,
  };
}

function typeOf(d: ListedDomain): DomainType {
  if (d.kind === 'subdomain') return 'sub';
  if (d.kind === 'alias') return 'parked';
  return d.main ? 'main' : 'addon';
}

export class XmlInventory {
  constructor(private readonly transport: PleskXmlTransport) {}

  private async ask(packet: string, what: string): Promise<XmlElement> {
    return readPacket(await this.transport.post(packet, what, STEP), what, STEP);
  }

  private async clients(kind: 'customer' | 'reseller'): Promise<Array<{ id: number; login: string; ownerId: number | null }>> {
    const what = `Listing Plesk ${kind}s`;
    const results = okResults(resultsOf(await this.ask(listClients(kind), what), kind, 'get'), what, STEP);
    return results.map((result) => {
      const data = child(result, 'data');
      const info = child(data, 'gen_info') ?? child(data, 'gen-info');
      const owner = childText(info, 'owner-id');
      return { id: Number(childText(result, 'id')), login: childText(info, 'login') ?? '', ownerId: owner ? Number(owner) : null };
    });
  }

  private async domainLists(
    kind: 'customer' | 'reseller',
    clients: Array<{ id: number; login: string; owner: string }>,
  ): Promise<ListedDomain[]> {
    if (clients.length === 0) return [];
    const what = `Listing the domains of Plesk ${kind}s`;
    const results = okResults(
      resultsOf(await this.ask(domainListOf(kind, clients.map((c) => c.id) as unknown as NonEmptyIds), what), kind, 'get-domain-list'),
      what,
      STEP,
    );
    return results.flatMap((result) => {
      const client = clients.find((c) => String(c.id) === childText(result, 'id'));
      if (!client) return [];
      return childrenNamed(child(result, 'domains'), 'domain').map((d) => listed(d, client.login, client.owner));
    });
  }

  private async sites(ids: number[]): Promise<Map<number, { webspaceId: number; status: number }>> {
    const out = new Map<number, { webspaceId: number; status: number }>();
    if (ids.length === 0) return out;
    const what = 'Reading the subscriptions of Plesk sites';
    for (const result of okResults(resultsOf(await this.ask(siteInfo(ids as unknown as NonEmptyIds), what), 'site', 'get'), what, STEP)) {
      const info = child(child(result, 'data'), 'gen_info');
      out.set(Number(childText(result, 'id')), {
        webspaceId: Number(childText(info, 'webspace-id')),
        status: Number(childText(info, 'status') ?? 0),
      });
    }
    return out;
  }

  async listDomains(): Promise<PleskDomainInfo[]> {
    const resellers = await this.clients('reseller');
    const customers = await this.clients('customer');
    const loginOf = new Map<number, string>(resellers.map((r) => [r.id, r.login]));
    const what = "Listing the administrator's domains";
    const admin = okResults(resultsOf(await this.ask(adminDomainList(), what), 'server', 'get'), what, STEP).flatMap((r) =>
      childrenNamed(child(r, 'admin-domain-list'), 'domain').map((d) => listed(d, 'admin', 'admin')),
    );
    const all = [
      ...admin,
      ...(await this.domainLists(
        'reseller',
        resellers.map((r) => ({ id: r.id, login: r.login, owner: r.login })),
      )),
      ...(await this.domainLists(
        'customer',
        customers.map((c) => ({ id: c.id, login: c.login, owner: (c.ownerId !== null && loginOf.get(c.ownerId)) || 'admin' })),
      )),
    ];
    const byId = new Map(all.map((d) => [d.id, d]));
    const sites = await this.sites(all.filter((d) => d.kind !== 'alias').map((d) => d.id));
    /** The main or additional domain whose zone holds a subdomain (parents may nest). */
    const zoneSite = (d: ListedDomain): ListedDomain | undefined => {
      let current: ListedDomain | undefined = d;
      for (let hops = 0; current && current.kind === 'subdomain' && hops < 10; hops++)
        current = current.parentId === null ? undefined : byId.get(current.parentId);
      return current?.kind === 'domain' ? current : undefined;
    };
    return all
      .map((d): PleskDomainInfo => {
        const site = d.kind === 'alias' ? (d.aliasOf === null ? undefined : byId.get(d.aliasOf)) : zoneSite(d);
        const info = sites.get(d.kind === 'alias' ? (site?.id ?? -1) : d.id);
        const subscription = info ? byId.get(info.webspaceId)?.name : undefined;
        const zoneOwner = d.kind === 'alias' ? d : site;
        return {
          domain: d.name,
          type: typeOf(d),
          user: d.user,
          owner: d.owner,
          subscription: subscription ?? d.name,
          zone: zoneOwner?.name ?? null,
          zoneRef: zoneOwner
            ? d.kind === 'alias'
              ? { zone: d.name, aliasId: d.id }
              : { zone: zoneOwner.name, siteId: zoneOwner.id }
            : null,
          siteId: d.kind === 'alias' ? null : d.id,
          aliasId: d.kind === 'alias' ? d.id : null,
          ...(info ? { suspended: info.status !== 0 } : {}),
        };
      })
      .sort((a, b) => a.domain.localeCompare(b.domain));
  }
}
