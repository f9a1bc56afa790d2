/**
 * Zone templates: the check reads a template as the zone cPanel would make from it; the repair
 * changes only the lockdown line (placeholders kept), atomically, keeps the previous file, journals
 * both texts; undo puts the old text back only over the repaired one.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { zoneTemplateFiles } from '../../../src/adapters/zonetemplates';
import { openStore, type Store } from '../../../src/adapters/store';
import {
  checkTemplate,
  checkZoneTemplates,
  repairZoneTemplate,
  rollbackZoneTemplate,
  type TemplateContext,
} from '../../../src/usecases/templates';

/** cPanel's own `standard` template (/usr/local/cpanel/etc/zonetemplates/standard) plus a stale lockdown line. */
const STANDARD = [
  '; cPanel %cpversion%',
  '; Zone file for %domain%',
  '$TTL %ttl%',
  '@      %nsttl%\tIN      SOA     %nameserver%. %rpemail%. (',
  '\t\t%serial%\t; serial, todays date+todays',
  '\t\t3600\t\t; refresh, seconds',
  '\t\t1800\t\t; retry, seconds',
  '\t\t1209600\t\t; expire, seconds',
  '\t\t86400 )\t\t; minimum, seconds',
  '',
  '%domain%. %nsttl% IN NS %nameserver%.',
  '%domain%. %nsttl% IN NS %nameserver2%.',
  '',
  '%nameserverentry%. IN A %nameservera%',
  '',
  '%domain%. IN A %ip%',
  '%domain%. IN MX 0 %domain%.',
  '',
  'mail IN CNAME %maildomain%.',
  'www IN CNAME %domain%.',
  '_mailchannels %ttl% IN TXT "v=mc1 auth=oldhost"',
  '',
].join('\n');

const ACTOR = { kind: 'cli' as const, name: 'tester' };

describe('zone templates', () => {
  let dir: string;
  let store: Store;
  let ctx: TemplateContext;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fea-tpl-'));
    writeFileSync(join(dir, 'standard'), STANDARD, { mode: 0o644 });
    writeFileSync(join(dir, 'simple'), STANDARD.replace(/^_mailchannels.*\n/m, ''));
    writeFileSync(join(dir, 'notes.txt'), 'not a template');
    store = openStore(':memory:');
    ctx = {
      templates: zoneTemplateFiles({ dir: join(dir), backupDir: join(dir, '..', `${dir.split('/').pop()}-backups`) }),
      journal: store,
      authId: 'webhostingm',
    };
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`${dir}-backups`, { recursive: true, force: true });
  });

  it('when a template carries the old host’s record, then every zone made from it would be stale; one without a record is fine', async () => {
    const reports = await checkZoneTemplates(ctx);
    expect(reports.map((r) => [r.name, r.status, r.findings.map((f) => f.code)])).toEqual([
      ['simple', 'ok', []],
      ['standard', 'error', ['LOCKDOWN_STALE']],
    ]);
    expect(reports[1]?.before).toEqual(['_mailchannels %ttl% IN TXT "v=mc1 auth=oldhost"']);
    expect(reports[1]?.after).toEqual(['_mailchannels\t%ttl%\tIN\tTXT\t"v=mc1 auth=webhostingm"']);
  });

  it('when a template is repaired, then only its lockdown line changes, atomically, the previous file is kept and both texts are journalled', async () => {
    const result = await repairZoneTemplate(ctx, 'standard', ACTOR);
    expect(result.status).toBe('applied');
    const now = readFileSync(join(dir, 'standard'), 'latin1');
    expect(now).toBe(
      STANDARD.replace('_mailchannels %ttl% IN TXT "v=mc1 auth=oldhost"', '_mailchannels\t%ttl%\tIN\tTXT\t"v=mc1 auth=webhostingm"'),
    );
    expect((statSync(join(dir, 'standard')).mode & 0o777).toString(8)).toBe('644');
    expect(readFileSync(result.change!.backupPath!, 'latin1')).toBe(STANDARD);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'simple', 'standard']);
    expect(store.getTemplateChange(result.change!.id)).toMatchObject({
      status: 'applied',
      beforeText: STANDARD,
      afterText: now,
      actor: ACTOR,
    });
    expect(checkTemplate('standard', now, 'webhostingm').repaired).toBeNull();
    expect((await repairZoneTemplate(ctx, 'standard', ACTOR)).status).toBe('unchanged');
  });

  it('when the template changed between reading and writing, then nothing is written and the journal says so', async () => {
    const templates = ctx.templates;
    const racing: TemplateContext = {
      ...ctx,
      templates: {
        ...templates,
        replace: async (name, expected, next) => {
          writeFileSync(join(dir, name), `${STANDARD}; edited by someone\n`);
          return templates.replace(name, expected, next);
        },
      },
    };
    const result = await repairZoneTemplate(racing, 'standard', ACTOR);
    expect(result.status).toBe('failed');
    expect(result.change?.status).toBe('failed');
    expect(readFileSync(join(dir, 'standard'), 'latin1')).toBe(`${STANDARD}; edited by someone\n`);
  });

  it('when a repair is undone, then the old text is back; over a later edit only when forced', async () => {
    const first = await repairZoneTemplate(ctx, 'standard', ACTOR);
    const undone = await rollbackZoneTemplate(ctx, first.change!.id, ACTOR);
    expect(undone.status).toBe('applied');
    expect(readFileSync(join(dir, 'standard'), 'latin1')).toBe(STANDARD);
    expect(store.getTemplateChange(first.change!.id)?.status).toBe('rolled_back');

    const second = await repairZoneTemplate(ctx, 'standard', ACTOR);
    writeFileSync(join(dir, 'standard'), `${readFileSync(join(dir, 'standard'), 'latin1')}; a later edit\n`);
    expect((await rollbackZoneTemplate(ctx, second.change!.id, ACTOR)).status).toBe('failed');
    expect(readFileSync(join(dir, 'standard'), 'latin1')).toContain('a later edit');
    expect((await rollbackZoneTemplate(ctx, second.change!.id, ACTOR, { force: true })).status).toBe('applied');
    expect(readFileSync(join(dir, 'standard'), 'latin1')).toBe(STANDARD);
  });

  it('when a name is not a cPanel template name, then it is refused before any file is touched', async () => {
    await expect(repairZoneTemplate(ctx, '../etc/passwd', ACTOR)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
