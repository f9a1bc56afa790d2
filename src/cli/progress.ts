/**
 * Progress of a long command on stderr (stdout stays clean for --json/--csv): on a terminal, one line
 * redrawn in place with a bar and the time left; elsewhere (a pipe, a log file, cron) a plain line
 * now and then, so a log is not flooded with carriage returns.
 */
import type { CliIO } from './io';

export interface Progress {
  update(done: number, total: number, note?: string): void;
  /** Final line (and the line break the bar needs). */
  done(message?: string): void;
}

export interface ProgressOptions {
  label: string;
  unit: string;
  now?: () => number;
  /** Plain mode: at most one line per this many ms (default 5 s), plus the last. */
  plainEveryMs?: number;
  width?: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Time left at the rate so far; null until there is a rate to go by. */
export function eta(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || elapsedMs <= 0 || total <= done) return total <= done ? 0 : null;
  return ((total - done) * elapsedMs) / done;
}

export function isTerminal(stream: unknown): boolean {
  return (stream as { isTTY?: boolean } | undefined)?.isTTY === true;
}

export function createProgress(io: CliIO, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const start = now();
  const tty = isTerminal(io.stderr);
  const width = options.width ?? 30;
  const every = options.plainEveryMs ?? 5000;
  let lastPlain = -Infinity;
  let lastLine = '';
  let drawn = false;

  const line = (done: number, total: number, note?: string) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const left = eta(done, total, now() - start);
    const etaText = left === null ? '' : left === 0 ? '' : `  ETA ${formatDuration(left)}`;
    return { pct, text: `${done}/${total} ${options.unit} (${pct}%)${etaText}${note ? `  ${note}` : ''}` };
  };

  return {
    update(done, total, note) {
      const { pct, text } = line(done, total, note);
      if (tty) {
        const filled = Math.round((Math.min(100, pct) / 100) * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        const out = `\r${options.label} [${bar}] ${text}`;
        if (out !== lastLine) io.stderr.write(`${out}\x1b[K`);
        lastLine = out;
        drawn = true;
        return;
      }
      const t = now();
      if (t - lastPlain >= every || done >= total) {
        if (`${done}/${total}` === lastLine) return;
        lastPlain = t;
        lastLine = `${done}/${total}`;
        io.stderr.write(`${options.label}: ${text}\n`);
      }
    },
    done(message) {
      if (tty && drawn) io.stderr.write('\n');
      if (message) io.stderr.write(`${message}\n`);
    },
  };
}
