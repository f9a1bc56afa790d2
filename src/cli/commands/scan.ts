/**
 * `scan [--all | --user U | --reseller R] [--only-problems] [--status S…] [--code C…] [--json | --csv]
 *  [--via-api] [--concurrency N] [--auth-id ID] [--include-block-all]`: diagnose every domain of the server, zone by zone,
 * and keep the latest result per domain in the journal's database (the admin pages' table).
 *
 * Reads the server's own files when it can (/etc/userdomains, /var/named, /var/cpanel/users; paths
 * from config and FIX_EMAIL_AUTH_NAMED_DIR / _USERDOMAINS / _CPANEL_USERS), else WHM's API; so it
 * also runs on a copy of a server's files with no cPanel at all. Output is streamed: `--json` prints
 * `{ "domains": [ … ] }` one domain object per line as they come, never the whole server in memory.
 * Exit: 0 nothing to fix, 1 a domain with a warning or an error, 2 bad input.
 */
import { setFlagsFromString } from 'v8';
import type { Command } from 'commander';
import { SCAN_STATUSES, type ScanStatus } from '../../adapters/store';
import { blocksAllMail, FINDING_SEVERITY, isStaleLockdown } from '../../checks/findings';
import { csvHeader, csvLine, type CsvColumn } from '../../csv';
import { FixEmailAuthError } from '../../errors';
import { scanServer, type ScannedDomain, type ScanProgress } from '../../usecases/scan';
import { checkZoneTemplates, type TemplateContext } from '../../usecases/templates';
import { cliConfig, withServices } from '../context';
import { EXIT_OK, EXIT_PROBLEMS, type CliIO } from '../io';
import { createProgress } from '../progress';

interface ScanCliOptions {
  all?: boolean;
  user?: string;
  reseller?: string;
  onlyProblems?: boolean;
  status?: string[];
  code?: string[];
  json?: boolean;
  csv?: boolean;
  viaApi?: boolean;
  concurrency?: string;
  authId?: string;
  progress: boolean;
  includeBlockAll?: boolean;
}

const PROBLEM_STATUSES: readonly ScanStatus[] = ['warning', 'error', 'unknown'];

/**
 * A scan allocates fast and keeps little (a few zones in flight, the packed domain list), so V8's
 * default heap growth (up to 4× what survived the last full collection) lets garbage pile up in
 * proportion to the server: peak RSS 135 MiB for 10 000 zones but up to 290 MiB for 50 000, while the
 * live heap stays ~30 MiB (bench/RESULTS.md). Growing the heap by at most 50 % between collections
 * keeps the peak near the live size at no measurable cost in speed. A CLI process does one job, so
 * the setting is its own; the daemon keeps V8's defaults.
 */
export function boundHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
const CSV_COLUMNS: readonly CsvColumn<ScannedDomain>[] = (['domain', 'user', 'owner', 'zone', 'status', 'codes'] as const).map((key) => ({
  header: key,
  value: (row: ScannedDomain) => row[key],
}));

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

function positiveInt(text: string | undefined, name: string, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new FixEmailAuthError('BAD_INPUT', `${name} must be a whole number from 1 to ${max}`);
  return n;
}

function statusesOf(options: ScanCliOptions): ScanStatus[] | undefined {
  const given = options.status ?? [];
  for (const s of given) {
    if (!(SCAN_STATUSES as readonly string[]).includes(s))
      throw new FixEmailAuthError('BAD_INPUT', `--status must be one of ${SCAN_STATUSES.join(', ')}`);
  }
  const statuses = [...(given as ScanStatus[]), ...(options.onlyProblems ? PROBLEM_STATUSES : [])];
  return statuses.length > 0 ? [...new Set(statuses)] : undefined;
}

function codesOf(options: ScanCliOptions): string[] | undefined {
  const codes = (options.code ?? []).map((c) => c.toUpperCase());
  for (const c of codes) {
    if (!(c in FINDING_SEVERITY))
      throw new FixEmailAuthError('BAD_INPUT', `Unknown finding code ${c} (see docs/design.md: LOCKDOWN_STALE, SPF_MISSING, …)`);
  }
  return codes.length > 0 ? codes : undefined;
}

const MARK: Record<ScanStatus, string> = { ok: 'OK     ', info: 'INFO   ', warning: 'WARNING', error: 'ERROR  ', unknown: 'UNKNOWN' };

function humanLine(row: ScannedDomain): string {
  const problems = row.error ? `could not check: ${row.error.message}` : problemCodes(row).join(', ') || 'fine';
  return `${MARK[row.status]} ${row.domain}  (${row.user}${row.owner && row.owner !== 'root' ? `, reseller ${row.owner}` : ''})  ${problems}\n`;
}

function problemCodes(row: ScannedDomain): string[] {
  return row.codes.filter((c) => FINDING_SEVERITY[c as keyof typeof FINDING_SEVERITY] !== 'ok');
}

/** Domains of the scan in the stale selection, and those whose record blocks all mail. */
interface StaleCount {
  count: number;
  blockAll: number;
  includeBlockAll: boolean;
}

function summary(
  progress: ScanProgress,
  counts: Map<string, number>,
  codes: Map<string, number>,
  stale: StaleCount,
  source: string,
  seconds: number,
): string {
  const byStatus = ['error', 'warning', 'unknown', 'info', 'ok']
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s}`)
    .join(', ');
  const top = [...codes.entries()]
    .filter(([c]) => FINDING_SEVERITY[c as keyof typeof FINDING_SEVERITY] !== 'ok')
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 8)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const lines = [
    `Scanned ${progress.domainsDone} domain(s) in ${progress.zonesDone} zone(s) from ${source} in ${seconds.toFixed(1)} s: ${byStatus || 'nothing to scan'}.`,
  ];
  if (top) lines.push(`Findings: ${top}.`);
  if (stale.count > 0) {
    const flag = stale.includeBlockAll ? ' --include-block-all' : '';
    lines.push(
      `${stale.count} domain(s) have a lockdown record that makes MailChannels reject their mail: preview the fix with \`fix-email-auth fix --all-stale${flag} --dry-run\`.`,
    );
  }
  if (stale.blockAll > 0 && !stale.includeBlockAll)
    lines.push(
      `${stale.blockAll} domain(s) are set to block all mail (v=mc1 alone), usually on purpose; they are not counted as stale (--include-block-all).`,
    );
  return `${lines.join('\n')}\n`;
}

/** The zone templates new accounts are made from: the scan checks them too (a stale line re-infects every new zone). */
async function templateLines(ctx: TemplateContext): Promise<string> {
  let reports;
  try {
    reports = await checkZoneTemplates(ctx);
  } catch (err) {
    return `Zone templates could not be checked: ${(err as Error).message}\n`;
  }
  return reports
    .filter((r) => r.repaired !== null || r.error)
    .map((r) =>
      r.error
        ? `Zone template ${r.name} could not be read as a zone: ${r.error}\n`
        : `Zone template ${r.name}: ${r.findings.map((f) => f.code).join(', ')}; every new account made from it gets this record: repair with \`fix-email-auth templates fix ${r.name}\`.\n`,
    )
    .join('');
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('scan')
    .description('Diagnose every domain of the server (or of one account or reseller) and keep the results for the admin pages')
    .option('--all', 'every account (the default)')
    .option('--user <user>', 'only this cPanel account')
    .option('--reseller <reseller>', 'only accounts owned by this reseller (root: the server’s own)')
    .option('--only-problems', 'list only domains with a warning, an error or that could not be checked')
    .option('--status <status>', `list only these statuses (${SCAN_STATUSES.join(', ')}); repeatable or comma-separated`, collect)
    .option('--code <code>', 'list only domains with this finding code (e.g. LOCKDOWN_STALE); repeatable', collect)
    .option('--json', 'print { "domains": [ … ] }: diagnose --json objects plus "user", streamed')
    .option('--csv', 'print one CSV row per domain: domain,user,owner,zone,status,codes')
    .option('--via-api', 'read accounts and zones through WHM’s API even when the files are readable')
    .option('--concurrency <n>', 'zones read and diagnosed at once (default 8)')
    .option('--auth-id <id>', 'MailChannels account ID that must be authorized (default: provider.authId)')
    .option('--include-block-all', 'count domains whose record blocks all mail (v=mc1 alone) as stale too')
    .option('--no-progress', 'no progress on stderr')
    .action(async (options: ScanCliOptions) => {
      if (options.json && options.csv) throw new FixEmailAuthError('BAD_INPUT', 'Choose one of --json and --csv');
      const statuses = statusesOf(options);
      const codes = codesOf(options);
      const concurrency = positiveInt(options.concurrency, '--concurrency', 256);
      boundHeapGrowth();
      const config = cliConfig(io, { offline: true, ...(options.authId ? { authId: options.authId } : {}) });
      const controller = new AbortController();
      const onSignal = () => controller.abort();
      process.once('SIGINT', onSignal);
      const started = Date.now();
      try {
        await withServices(config, async (services) => {
          const ctx = await services.scanContext(options.viaApi ? { viaApi: true } : {});
          const bar = options.progress ? createProgress(io, { label: 'scan', unit: 'zones' }) : null;
          const counts = new Map<string, number>();
          const codeCounts = new Map<string, number>();
          const stale: StaleCount = { count: 0, blockAll: 0, includeBlockAll: options.includeBlockAll === true };
          let problems = false;
          let first = true;
          if (options.json) io.stdout.write('{ "domains": [\n');
          if (options.csv) io.stdout.write(`${csvHeader(CSV_COLUMNS)}\r\n`);
          const scan = scanServer(ctx, {
            ...(options.user !== undefined ? { user: options.user } : {}),
            ...(options.reseller !== undefined ? { reseller: options.reseller } : {}),
            ...(statuses ? { statuses } : {}),
            ...(codes ? { codes } : {}),
            ...(concurrency !== undefined ? { concurrency } : {}),
            signal: controller.signal,
            onProgress: (p) => bar?.update(p.zonesDone, p.zonesTotal),
            onResult: (row) => {
              counts.set(row.status, (counts.get(row.status) ?? 0) + 1);
              for (const c of row.codes) codeCounts.set(c, (codeCounts.get(c) ?? 0) + 1);
              if (isStaleLockdown(row.codes, { includeBlockAll: stale.includeBlockAll })) stale.count++;
              if (blocksAllMail(row.codes)) stale.blockAll++;
              if (row.status === 'warning' || row.status === 'error' || row.status === 'unknown') problems = true;
            },
          });
          let progress: ScanProgress;
          for (;;) {
            const step = await scan.next();
            if (step.done) {
              progress = step.value;
              break;
            }
            const row = step.value;
            if (options.json) {
              io.stdout.write(`${first ? '' : ',\n'}${row.reportJson}`);
              first = false;
            } else if (options.csv) io.stdout.write(`${csvLine(row, CSV_COLUMNS)}\r\n`);
            else if (statuses || codes || row.status !== 'ok') io.stdout.write(humanLine(row));
          }
          if (options.json) io.stdout.write(`${first ? '' : '\n'}] }\n`);
          const source = ctx.source.kind === 'files' ? 'the server’s files' : 'WHM’s API';
          const end =
            summary(progress, counts, codeCounts, stale, source, (Date.now() - started) / 1000) +
            (await templateLines(services.templateContext()));
          bar?.done();
          if (controller.signal.aborted) io.stderr.write('Scan interrupted: the domains checked so far are stored.\n');
          if (!options.json && !options.csv) io.stdout.write(end);
          else if (bar) io.stderr.write(end);
          setExit(problems ? EXIT_PROBLEMS : EXIT_OK);
        });
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
}
