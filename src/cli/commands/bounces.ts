/**
 * `bounces --log FILE [--since 24h] [--relay-host H] [--json]` — the lockdown (and other) rejections
 * in Exim's main log, per domain with the fix. Works offline, without a config file.
 * On a server (the journal exists), a repeated look reads only what Exim appended since the last one
 * (the cursor and the recent failures are kept in the journal; `--no-cursor` reads everything), and
 * the failures are also grouped per cPanel account (/etc/userdomains) with the fix each needs.
 * Exit: 0 no authentication problem, 1 a LOCKDOWN_REJECTED or SPF_REJECTED event, 2 bad input.
 */
import { existsSync } from 'fs';
import type { Command } from 'commander';
import { readUserDomains } from '../../adapters/fastpath';
import { parseSince } from '../../adapters/exim/since';
import { openStore, type Store } from '../../adapters/store';
import { loadConfig } from '../../config';
import { FixEmailAuthError } from '../../errors';
import { serverBounces, type ServerBounceReport } from '../../usecases/bulk';
import { BounceReport, bounceReportJson, isoLocal } from '../../usecases/bounces';
import { CliIO, EXIT_OK, EXIT_PROBLEMS, printJson } from '../io';

interface BouncesOptions {
  log?: string;
  since?: string;
  relayHost?: string;
  rotated: boolean;
  cursor: boolean;
  json?: boolean;
}

/** The journal (for its log cursors) and the domain → account map, when this is a configured server. */
async function serverState(io: CliIO, useCursor: boolean): Promise<{ store?: Store; accounts?: Map<string, string> }> {
  let paths: { journal: string; userdomains: string };
  try {
    paths = loadConfig(io.env, { provider: { authId: 'unconfigured' } }).paths;
  } catch {
    return {};
  }
  // Never create a journal here: only a server that has one (the daemon or a repair made it) keeps cursors.
  const store = useCursor && existsSync(paths.journal) ? openStore(paths.journal) : undefined;
  const accounts = await readUserDomains(paths.userdomains).then(
    (u) => u.domains,
    () => undefined,
  );
  return { ...(store ? { store } : {}), ...(accounts ? { accounts } : {}) };
}

function renderAccounts(report: ServerBounceReport): string {
  const out: string[] = [];
  if (report.byCpanelAccount.length > 0) {
    out.push('', 'Per cPanel account:');
    for (const a of report.byCpanelAccount) {
      const counts = Object.entries(a.counts)
        .map(([cls, n]) => `${cls} ${n}`)
        .join(', ');
      out.push(
        `  ${pad(a.user, 18)}${a.owner && a.owner !== 'root' ? `(reseller ${a.owner}) ` : ''}${counts}  (last ${shortTime(a.lastSeen)})`,
      );
      out.push(`      domains: ${[...new Set(a.domains.map((d) => d.domain))].slice(0, 8).join(', ')}`);
      out.push(`      fix: ${a.fix}${a.command ? `  →  ${a.command}` : ''}`);
    }
  }
  if (report.unowned.length > 0)
    out.push(
      '',
      `Not a domain of this server: ${report.unowned.slice(0, 10).join(', ')}${report.unowned.length > 10 ? ` and ${report.unowned.length - 10} more` : ''}`,
    );
  return out.length ? `${out.join('\n')}\n` : '';
}

function readNote(report: ServerBounceReport): string {
  const kb = (report.bytesRead / 1024).toFixed(1);
  return report.incremental ? `(read ${kb} KiB: only what was added since the last look)\n` : `(read ${kb} KiB)\n`;
}

/** Without --log: the configured log (config file or FIX_EMAIL_AUTH_EXIM_LOG), else Exim's default. */
function configured(io: CliIO): { log: string; provider?: string } {
  const config = loadConfig(io.env, { provider: { authId: 'unconfigured' } });
  const provider = config.provider.authId === 'unconfigured' ? undefined : config.provider.authId;
  return { log: config.paths.eximMainlog, provider };
}

function accountIn(state: { store?: Store; accounts?: Map<string, string> }, domain: string): { user: string; owner?: string } | undefined {
  const user = state.accounts?.get(domain);
  if (!user) return undefined;
  const owner = state.store?.getScanResult(domain)?.owner;
  return { user, ...(owner ? { owner } : {}) };
}

/** The provider id for advice wording, when a valid config exists; never fails the command. */
function providerIfConfigured(io: CliIO): string | undefined {
  try {
    return configured(io).provider;
  } catch {
    return undefined;
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?([+-]\d\d:\d\d|Z)$/, '');
}

export function renderBounces(report: BounceReport, log: string, since: Date | undefined): string {
  const out: string[] = [];
  const files = report.files.length;
  out.push(
    `Mail log: ${log}${files > 1 ? ` (+${files - 1} rotated file${files > 2 ? 's' : ''})` : ''}${since ? `, since ${shortTime(isoLocal(since))}` : ''}`,
  );
  for (const w of report.warnings) out.push(`warning: ${w}`);
  if (report.events.length === 0 && report.domains.length === 0) {
    out.push('No failed or deferred deliveries found.');
    return `${out.join('\n')}\n`;
  }
  out.push(
    `${report.events.length + report.omittedEvents} failed or deferred deliveries, ${new Set(report.domains.map((d) => d.domain)).size} domain(s):`,
    '',
  );
  out.push(`  ${pad('DOMAIN', 30)}${pad('CLASS', 19)}${pad('COUNT', 7)}LAST SEEN`);
  for (const d of report.advice) {
    out.push(`  ${pad(d.domain, 30)}${pad(d.class, 19)}${pad(String(d.count), 7)}${shortTime(d.lastSeen)}`);
    out.push(`      fix: ${d.fix}`);
    if (d.authUsers.length > 0)
      out.push(
        `      sent by: ${d.authUsers.slice(0, 5).join(', ')}${d.authUsers.length > 5 ? ` and ${d.authUsers.length - 5} more` : ''}`,
      );
  }
  const unknown = report.events.filter((e) => e.domain === null).length;
  if (unknown > 0) out.push('', `  ${unknown} event(s) without a known sender domain (arrival not in the logs read).`);
  if (report.accounts.length > 0) {
    out.push('', 'Per sending account:');
    for (const a of report.accounts) {
      const counts = Object.entries(a.counts)
        .map(([cls, n]) => `${cls} ${n}`)
        .join(', ');
      out.push(`  ${pad(a.authUser, 30)}${pad(a.kind, 8)}${counts}  (last ${shortTime(a.lastSeen)})`);
    }
  }
  if (report.omittedEvents > 0) out.push('', `(${report.omittedEvents} oldest events not listed; counts include them)`);
  return `${out.join('\n')}\n`;
}

export function register(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('bounces')
    .description("Find delivery failures in Exim's main log (lockdown and SPF rejections first), per domain, with the fix")
    .option('--log <file>', 'Exim main log (default: config paths.eximMainlog, /var/log/exim_mainlog); rotations are read too')
    .option('--since <when>', 'only failures since a duration ago (90m, 24h, 2d) or a local date/time (2026-11-28, 2026-11-28T10:00)')
    .option('--relay-host <host>', 'only failures reported by this relay (H= host name or IP), e.g. smtp.mailchannels.net')
    .option('--no-rotated', 'read only the given file, not its rotations')
    .option('--no-cursor', 'read the whole log again instead of only what was added since the last look')
    .option('--json', 'print {events, domains} as JSON')
    .action(async (opts: BouncesOptions) => {
      const since = opts.since === undefined ? undefined : parseSince(opts.since);
      let log = opts.log;
      let provider: string | undefined;
      if (log === undefined) ({ log, provider } = configured(io));
      else provider = providerIfConfigured(io);
      if (log.trim() === '') throw new FixEmailAuthError('BAD_INPUT', '--log needs a file name', { step: 'input' });
      const state = await serverState(io, opts.cursor);
      let report: ServerBounceReport;
      try {
        report = await serverBounces({
          log,
          since,
          relayHost: opts.relayHost,
          includeRotated: opts.rotated,
          provider,
          ...(state.store ? { cursorStore: state.store.logCursors } : {}),
          ...(state.accounts ? { accountOf: (d: string) => accountIn(state, d) } : {}),
        });
      } finally {
        state.store?.close();
      }
      if (opts.json) {
        printJson(io, bounceReportJson(report));
        if (report.omittedEvents > 0)
          io.stderr.write(`note: the ${report.omittedEvents} oldest events are not listed; "domains" counts include them\n`);
      } else io.stdout.write(`${renderBounces(report, log, since)}${renderAccounts(report)}${readNote(report)}`);
      setExit(report.problems ? EXIT_PROBLEMS : EXIT_OK);
    });
}
