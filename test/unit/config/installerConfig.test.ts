/** The installer's config merge (scripts/lib/json-tool.js merge-config): the sender-ID template's default and `none`. */
import { spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseConfig, senderIdFor } from '../../../src/config';

const TOOL = join(__dirname, '../../../scripts/lib/json-tool.js');

function merge(existing: unknown, authId: string, template: string): { code: number | null; config: any; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fea-merge-'));
  try {
    const file = join(dir, 'config.json');
    if (existing !== undefined) writeFileSync(file, JSON.stringify(existing));
    const r = spawnSync(process.execPath, [TOOL, 'merge-config', file, authId, template, ''], { encoding: 'utf8' });
    return { code: r.status, config: r.status === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the installer’s config', () => {
  it('when installed for the first time without a template, then the record the provider asks for is configured', () => {
    const { config } = merge(undefined, 'webhostingm', '');
    expect(config.provider).toEqual({ authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' });
    expect(senderIdFor(parseConfig(config), 'alice')).toBe('webhostingm|x-authuser|alice');
  });

  it('when the template is given, then it wins; when it is none, then there is none', () => {
    expect(merge(undefined, 'webhostingm', 'webhostingm|x-authuser|{user}@host.example.net').config.provider.senderIdTemplate).toBe(
      'webhostingm|x-authuser|{user}@host.example.net',
    );
    const off = merge(undefined, 'webhostingm', 'none').config;
    expect(off.provider).toEqual({ authId: 'webhostingm' });
    expect(senderIdFor(parseConfig(off), 'alice')).toBeNull();
  });

  it('when run again without the flag, then the file’s choice stays, including none', () => {
    expect(merge({ provider: { authId: 'webhostingm' } }, '', '').config.provider).toEqual({ authId: 'webhostingm' });
    expect(
      merge({ provider: { authId: 'webhostingm', senderIdTemplate: 'webhostingm|x-authuser|{user}' } }, '', 'none').config.provider,
    ).toEqual({ authId: 'webhostingm' });
  });

  it('when the template is malformed, then the install stops naming the flag', () => {
    const bad = merge(undefined, 'webhostingm', 'webhostingm|{user}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--sender-id-template');
  });
});
