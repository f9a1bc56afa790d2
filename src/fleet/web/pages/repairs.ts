/**
 * Bulk repair across servers: `POST /repairs` (the ticked domains, or every stale domain matching
 * the filter), the list, one repair's progress per server (a server that is offline shows its part
 * waiting), its items with each server's answer, and cancelling what no server has taken yet.
 */
import { Router } from 'express';
import { staleFilter } from '../../app/stale';
import { FleetError } from '../../errors';
import {
  cancelRepair,
  getRepair,
  ITEM_STATES,
  listRepairs,
  listServers,
  repairItems,
  type ItemState,
  type RepairSelection,
  type RequestItem,
} from '../../store';
import { field, fields, idOf, locals, wantsJson, type FleetContext } from '../context';
import { exportFormat, once, streamExport } from '../exports';
import { describeFilter, filterOnly, parseFilter } from '../filters';

/** Most domains one repair may list by hand (a filter has no limit). */
const MAX_SELECTED = 10_000;
const DOMAIN = /^[a-z0-9._-]{1,253}$/;

/** A repair's answers as CSV: what each server did with each domain (`?format=json` has the repair too). */
const ITEM_COLUMNS = [
  { header: 'server', value: (i: RequestItem) => i.server },
  { header: 'domain', value: (i: RequestItem) => i.domain },
  { header: 'state', value: (i: RequestItem) => i.state },
  { header: 'reason', value: (i: RequestItem) => i.reason ?? '' },
  { header: 'message', value: (i: RequestItem) => i.message ?? '' },
  { header: 'change_id', value: (i: RequestItem) => i.changeId ?? '' },
  { header: 'updated_at', value: (i: RequestItem) => i.updatedAt },
];

function selectedDomains(body: unknown): Array<{ serverId: number; domain: string }> {
  const out = new Map<string, { serverId: number; domain: string }>();
  for (const value of fields(body, 'item', MAX_SELECTED + 1)) {
    const colon = value.indexOf(':');
    const serverId = idOf(value.slice(0, colon));
    const domain = value.slice(colon + 1).toLowerCase();
    if (colon < 1 || !serverId || !DOMAIN.test(domain))
      throw new FleetError('BAD_INPUT', `“${value.slice(0, 80)}” is not a server and domain.`);
    out.set(`${serverId}:${domain}`, { serverId, domain });
  }
  if (out.size > MAX_SELECTED) throw new FleetError('BAD_INPUT', `At most ${MAX_SELECTED} domains by hand; use a filter for more.`);
  return [...out.values()];
}

export function repairRoutes(ctx: FleetContext): Router {
  const router = Router();

  router.post('/repairs', async (req, res) => {
    let selection: RepairSelection;
    if (field(req.body, 'scope') === 'stale') {
      const filter = filterOnly(parseFilter(req.body));
      const servers = await listServers(ctx.pool, ctx.config.staleAfterSeconds);
      const label = `Stale domains: ${describeFilter(filter, servers.find((s) => s.id === filter.serverId)?.name)}`;
      selection = { kind: 'filter', filter: { ...filter, ...staleFilter() }, label };
    } else {
      const domains = selectedDomains(req.body);
      if (domains.length === 0) throw new FleetError('BAD_INPUT', 'Tick at least one domain, or repair every stale domain of the filter.');
      selection = { kind: 'domains', domains };
    }
    const id = await ctx.jobs.requestRepair(locals(res).admin!.username, selection);
    if (wantsJson(req)) return res.status(202).json({ repairId: id });
    res.redirect(303, `/repairs/${id}`);
  });

  router.get('/repairs', async (req, res) => {
    const repairs = await listRepairs(ctx.pool, 100);
    if (wantsJson(req)) return res.json({ repairs });
    res.render('fleet/repairs', { title: 'Repairs across servers', repairs });
  });

  router.get('/repairs/:id', async (req, res) => {
    const id = idOf(req.params.id);
    const found = id ? await getRepair(ctx.pool, id, ctx.config.staleAfterSeconds) : null;
    if (!found) throw new FleetError('NOT_FOUND', 'There is no such repair.');
    const serverId = idOf(field(req.query, 'server'));
    const stateText = field(req.query, 'state');
    const state = ITEM_STATES.includes(stateText as ItemState) ? (stateText as ItemState) : undefined;
    const items = await repairItems(ctx.pool, found.repair.id, { ...(serverId ? { serverId } : {}), ...(state ? { state } : {}) });
    if (exportFormat(req) === 'csv') return streamExport(res, 'csv', `fleet-repair-${found.repair.id}`, ITEM_COLUMNS, once(items));
    if (wantsJson(req)) return res.json({ ...found, items });
    const open = ['queued', 'expanding', 'open'].includes(found.repair.status);
    res.render('fleet/repair', {
      title: `Repair ${found.repair.id}`,
      ...found,
      items,
      open,
      refreshSeconds: open ? 5 : 0,
      itemStates: ITEM_STATES,
    });
  });

  router.post('/repairs/:id/cancel', async (req, res) => {
    const id = idOf(req.params.id);
    if (!id || !(await cancelRepair(ctx.pool, id, locals(res).admin!.username)))
      throw new FleetError('CONFLICT', 'This repair is over or does not exist.');
    if (wantsJson(req)) return res.json({ cancelled: id });
    res.redirect(303, `/repairs/${id}`);
  });
  return router;
}
