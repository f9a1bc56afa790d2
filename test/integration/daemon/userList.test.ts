/**
 * The cPanel user's list over the socket (the demo's server: alice has a stale domain, a record
 * that blocks all mail and a correct one): it reads at a glance — a Fix button on each row a click
 * can repair, Review for the record that blocks all mail, one short line for an OK row, and the note
 * about the shared `auth=` once above the table instead of in every row.
 */
import { as, startDaemonHarness, waitForJob, type DaemonHarness } from './harness';

jest.setTimeout(60000);

const alice = as('alice');

/** The `<tr>` of one domain in the page's HTML. */
function rowOf(html: string, domain: string): string {
  const start = html.indexOf(`<tr data-domain="${domain}"`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</tr>', start));
}

describe("the user's list of domains", () => {
  let h: DaemonHarness;
  beforeAll(async () => {
    h = await startDaemonHarness('socket');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('when alice opens her list, then the stale row has a Fix button, the block-all row only Review, and the OK row one short line', async () => {
    const page = await h.call({ path: '/', headers: alice });
    expect(page.status).toBe(200);

    const stale = rowOf(page.body, 'migrated.example');
    expect(stale).toContain('action="/domains/migrated.example/fix"');
    expect(stale).toContain('data-action="row-fix"');

    const blockAll = rowOf(page.body, 'blockall.example');
    expect(blockAll).toContain('data-action="row-review"');
    expect(blockAll).not.toContain('/fix"');

    const ok = rowOf(page.body, 'alias.example');
    expect(ok).toContain('data-status="ok"');
    expect(ok).toContain('MailChannels accepts this domain&#39;s mail.');
    expect(ok).not.toContain('auth=webhostingm');
    expect(ok).not.toContain('data-action=');
  });

  it('when some records name auth=<provider>, then the note about other customers appears once, above the table', async () => {
    const page = await h.call({ path: '/', headers: alice });
    expect(page.body.match(/data-note="shared-auth"/g)).toHaveLength(1);
    expect(page.body.indexOf('data-note="shared-auth"')).toBeLessThan(page.body.indexOf('<table'));
    expect(page.body.match(/every account that sends through webhostingm/g)).toHaveLength(1);
    expect(page.body).not.toContain('data-note="tenant"');

    const json = await h.call({ path: '/api/domains', headers: alice });
    expect(json.json.notes.sharedAuth).toContain('auth=webhostingm');
    expect(json.json.domains.find((d: { domain: string }) => d.domain === 'blockall.example').action).toBe('review');
  });

  it("when alice presses a row's Fix, then the repair runs from the list, and the row is OK with the provider's record", async () => {
    const form = await h.call({ method: 'POST', path: '/domains/migrated.example/fix', headers: alice, form: {} });
    expect(form.status).toBe(303);
    const jobId = Number(/\/jobs\/(\d+)$/.exec(String(form.headers.location))![1]);
    const job = await waitForJob(h, jobId, alice);
    expect(job.items[0].resultStatus).toBe('verified');
    expect(await h.zoneText('migrated.example')).toContain('"v=mc1 auth=webhostingm');

    const after = rowOf((await h.call({ path: '/', headers: alice })).body, 'migrated.example');
    expect(after).toContain('data-status="ok"');
    expect(after).not.toContain('data-action="row-fix"');
  });

  it('when the block-all fix is posted without the yes, then the record that blocks all mail stays', async () => {
    const form = await h.call({ method: 'POST', path: '/domains/blockall.example/fix', headers: alice, form: {} });
    const jobId = Number(/\/jobs\/(\d+)$/.exec(String(form.headers.location))![1]);
    await waitForJob(h, jobId, alice);
    expect(await h.zoneText('blockall.example')).toMatch(/"v=mc1"/);
  });
});
