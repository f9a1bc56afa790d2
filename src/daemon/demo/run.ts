/**
 * Run the demo in the foreground (`npm start`, `fix-email-auth demo`): start it, say what to open,
 * and stop everything cleanly on Ctrl-C or SIGTERM.
 */
import { startDemo, type DemoOptions } from './startDemo';

export async function runDemo(options: DemoOptions & { out?: { write(text: string): unknown } } = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  const demo = await startDemo(options);
  const dnsLine =
    demo.dns.kind === 'powerdns'
      ? `PowerDNS (pdns_server) on 127.0.0.1:${demo.dns.port}`
      : `built-in answerer on 127.0.0.1:${demo.dns.port} — DEMO ONLY (install pdns-server for the real thing)`;
  out.write(
    [
      '',
      '  fix-email-auth demo is running',
      '',
      `  Open ${demo.url}`,
      '  and pick a cPanel user (alice has a domain stale after a migration) or the WHM admin.',
      '',
      `  cPanel/WHM   simulated at ${demo.sim.whmUrl} (pinned certificate)`,
      `  DNS          ${dnsLine}`,
      '  Backups      off: the journal keeps every removed record, Undo works from it',
      `  Files        ${demo.dir} (daemon.log, zones in named/, removed at exit)`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      out.write(`\n  ${signal}: stopping the demo…\n`);
      demo.stop().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out.write('  Stopped.\n');
}
