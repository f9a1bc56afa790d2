/**
 * Plans applied the way cPanel applies them: the BIND reader parses a zone file, the planner plans,
 * cPanel's line editor (`applyMassEdit`, the mass_edit_zone semantics) rewrites the file, the result
 * is parsed again and re-diagnosed. The repaired domain must end LOCKDOWN_OK with a null plan, and
 * every line the plan did not name must be byte-identical (the SOA serial aside) — with one exception
 * the zone format forces: a record that inherits its owner or TTL from the record before it
 * (RFC 1035 §5.1, BIND's last-TTL rule) must be written out in full when that record changes, so its
 * lines may differ; it must then still be the identical record at the same line_index.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseConfig } from '../../../src/config';
import { diagnoseDomain } from '../../../src/usecases/diagnose';
import type { DomainReport } from '../../../src/usecases/report';
import { readZoneFileDetails } from '../../../src/zone/bindReader';
import { applyMassEdit } from '../../../src/zone/lineEdit';
import type { MassEditParams } from '../../../src/zone/model';

const NOW = new Date('2026-03-02T10:00:00Z');
const config = parseConfig({ provider: { authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' } });
const fixture = (file: string) => readFileSync(join(__dirname, '../../fixtures/zones', file)).toString('latin1');

async function diagnoseText(text: string, zoneName: string, domain: string, user?: string): Promise<DomainReport> {
  const { zone } = readZoneFileDetails(text, zoneName);
  return diagnoseDomain({ domain, zone, config, ...(user ? { user } : {}) });
}

const lines = (text: string) => text.split('\n');

/** Lines of the old file that a plan may change: the spans of the records it edits or removes, and the serial. */
function touchedLines(text: string, zoneName: string, plan: MassEditParams): Set<number> {
  const details = readZoneFileDetails(text, zoneName);
  const touched = new Set<number>([details.serialToken.line]);
  const named = new Set([...plan.remove, ...plan.edit.map((e) => e.line_index)]);
  for (const span of details.spans) {
    if (named.has(span.firstLine)) for (let l = span.firstLine; l <= span.lastLine; l++) touched.add(l);
  }
  return touched;
}

/** Apply, re-read, re-diagnose; check convergence and that nothing else moved. */
async function repairAndCheck(
  text: string,
  zoneName: string,
  domain: string,
  user?: string,
): Promise<{ before: DomainReport; after: DomainReport; text: string }> {
  const before = await diagnoseText(text, zoneName, domain, user);
  const plan = before.plan as MassEditParams;
  expect(plan).not.toBeNull();
  // The plan names only lines the lockdown findings showed.
  const shown = new Set(before.findings.filter((f) => f.check === 'lockdown').flatMap((f) => f.records.map((r) => r.lineIndex)));
  for (const line of [...plan.remove, ...plan.edit.map((e) => e.line_index)])
    expect({ line, shown: shown.has(line) }).toEqual({ line, shown: true });
  const { text: repaired, newSerial } = applyMassEdit(text, zoneName, plan, { now: NOW });
  expect(newSerial).not.toBe(plan.serial);

  const after = await diagnoseText(repaired, zoneName, domain, user);
  const lockdown = after.findings.filter((f) => f.check === 'lockdown').map((f) => f.code);
  expect(lockdown).toContain('LOCKDOWN_OK');
  expect(lockdown).not.toEqual(expect.arrayContaining(['LOCKDOWN_MULTIPLE']));
  expect(lockdown).not.toContain('LOCKDOWN_MISPLACED');
  expect(after.plan).toBeNull();

  const oldLines = lines(text);
  const newLines = lines(repaired);
  const touched = touchedLines(text, zoneName, plan);
  const oldDetails = readZoneFileDetails(text, zoneName);
  const newRecords = new Map(readZoneFileDetails(repaired, zoneName).zone.records.map((r) => [r.lineIndex, r]));
  for (let i = 0; i < oldLines.length - 1; i++) {
    if (touched.has(i) || newLines[i] === oldLines[i]) continue;
    const span = oldDetails.spans.find((sp) => sp.firstLine <= i && i <= sp.lastLine);
    // The only allowed difference: an inheriting record written out in full, unchanged as a record.
    expect({ line: i, inherits: Boolean(span && (span.inheritsOwner || span.inheritsTtl)) }).toEqual({ line: i, inherits: true });
    const { lineIndex, name, ttl, type, data } = (span as NonNullable<typeof span>).record;
    expect(newRecords.get(lineIndex)).toEqual(expect.objectContaining({ lineIndex, name, ttl, type, data }));
  }
  // Every record the plan did not name is still there, identical, at its line_index.
  for (const record of oldDetails.zone.records) {
    if (record.type === 'SOA' || plan.remove.includes(record.lineIndex) || plan.edit.some((e) => e.line_index === record.lineIndex))
      continue;
    expect(newRecords.get(record.lineIndex)).toEqual(record);
  }
  // Only the adds may follow the old end of the file.
  const appended = newLines.slice(oldLines.length - 1).filter((l) => l.trim() !== '');
  expect(appended).toHaveLength(plan.add.length);
  return { before, after, text: repaired };
}

describe('plans applied with cPanel mass_edit semantics (applyMassEdit) and re-diagnosed', () => {
  it('when the migrated zone carries the old host (seed incident), then one edit fixes it and nothing else changes', async () => {
    const text = fixture('migrated.example.db');
    const { before, text: repaired } = await repairAndCheck(text, 'migrated.example', 'migrated.example');
    expect(before.findings.map((f) => f.code)).toContain('LOCKDOWN_STALE');
    expect(before.plan).toMatchObject({
      remove: [],
      add: [],
      edit: [{ dname: '_mailchannels', ttl: 300, record_type: 'TXT', data: ['v=mc1 auth=webhostingm'] }],
    });
    expect(repaired).toMatch(/_mailchannels\s+300\s+IN\s+TXT\s+"v=mc1 auth=webhostingm"/i);
  });

  it("when cPanel's own zone has no record, then one add is appended and every old line stays", async () => {
    await repairAndCheck(fixture('example.com.db'), 'example.com', 'example.com');
  });

  it('when the apex has two records and misplaced copies, then one record remains and the copies are gone', async () => {
    const { before, after } = await repairAndCheck(fixture('lockdown.example.db'), 'lockdown.example', 'lockdown.example');
    expect(before.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['LOCKDOWN_MULTIPLE', 'LOCKDOWN_MISPLACED']));
    expect(after.findings.find((f) => f.code === 'LOCKDOWN_OK')?.records).toHaveLength(1);
  });

  it.each([
    ['blog.lockdown.example', 'bare v=mc1'],
    ['old.lockdown.example', 'cfid only'],
    ['words.lockdown.example', 'unquoted strings joined into one token'],
    ['case.lockdown.example', 'a case-folded id and an upper-case owner'],
    ['comma.lockdown.example', 'a comma list'],
    ['empty.lockdown.example', 'an empty TXT'],
    ['shop.lockdown.example', 'a sender ID plus a stray non-lockdown TXT at the name'],
    ['new.lockdown.example', 'no record (a sub-domain in the parent zone)'],
  ])('when %s has %s, then its repair converges and touches nothing else', async (domain) => {
    await repairAndCheck(fixture('lockdown.example.db'), 'lockdown.example', domain, 'alice');
  });

  it('when a record split at a field boundary is already right, then the plan is null', async () => {
    expect((await diagnoseText(fixture('lockdown.example.db'), 'lockdown.example', 'split.lockdown.example')).plan).toBeNull();
  });

  it('when every domain of the zone is repaired one after the other, then each plan applies to the previous result', async () => {
    let text = fixture('lockdown.example.db');
    for (const domain of [
      'lockdown.example',
      'blog.lockdown.example',
      'old.lockdown.example',
      'comma.lockdown.example',
      'empty.lockdown.example',
      'shop.lockdown.example',
    ]) {
      text = (await repairAndCheck(text, 'lockdown.example', domain, 'alice')).text;
    }
    for (const domain of ['lockdown.example', 'blog.lockdown.example', 'shop.lockdown.example', 'split.lockdown.example']) {
      expect((await diagnoseText(text, 'lockdown.example', domain, 'alice')).plan).toBeNull();
    }
  });
});
