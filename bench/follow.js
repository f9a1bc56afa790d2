'use strict';
/**
 * Following an Exim main log while it grows: the daemon's follower (src/adapters/follow, with the
 * rejection sink and the journal in SQLite, exactly as the daemon runs them) against
 * `tail -F -n +1 LOG | grep --line-buffered -F <lockdown text>` on the same log appended at full speed
 * by a writer process. Each consumer starts on an empty log; the time is from the writer's start until
 * the consumer has seen every lockdown rejection (median of three alternating rounds). Then: CPU of
 * each while the log is idle, and the follower's memory after bursts of 10 000 and 100 000 rejections.
 *
 *   node bench/follow.js [MiB]            the benchmark (prints one JSON line)
 *   node bench/follow.js write SRC DST    (internal) append SRC to DST in 1 MiB writes
 *   node bench/follow.js follower LOG DIR (internal) the follower, driven over stdin/stdout
 */
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { dist, median, report, tempDir, log, runMain, nowMs } = require('./common');
const { generate, TEXT } = require('./exim');

const CHUNK = 1 << 20;

/** Append `src` to `dst` as a busy Exim would, as fast as the disk lets it. */
function writeMode(src, dst) {
  const input = fs.openSync(src, 'r');
  const output = fs.openSync(dst, 'a');
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry = Buffer.alloc(0);
  for (;;) {
    const n = fs.readSync(input, buf, 0, CHUNK, null);
    if (n === 0) break;
    // Exim writes whole lines: each write ends at a newline.
    const data = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
    const end = data.lastIndexOf(0x0a) + 1;
    if (end > 0) fs.writeSync(output, data, 0, end);
    carry = Buffer.from(data.subarray(end));
  }
  if (carry.length) fs.writeSync(output, carry);
  fs.closeSync(input);
  fs.closeSync(output);
}

/** The follower as the daemon runs it; commands on stdin, one JSON line per answer on stdout. */
async function followerMode(logPath, dir) {
  const { openStore } = dist('adapters/store');
  const { createFollower } = dist('adapters/follow');
  const { createRejectionSink } = dist('usecases/autofix/sink');
  const store = openStore(path.join(dir, 'journal.db'));
  let domains = 0;
  const sink = createRejectionSink({
    record: (batch) => store.selfHeal.recordRejections(batch),
    committed: (batch) => {
      domains = Math.max(domains, batch.domains.length);
      const count = store.selfHeal.tally().LOCKDOWN_REJECTED ?? 0;
      process.stdout.write(`${JSON.stringify({ count })}\n`);
    },
  });
  const follower = createFollower({ log: logPath, cursors: store.logCursors, transaction: (fn) => store.transaction(fn), sink });
  await follower.poll();
  follower.start();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  let buffer = '';
  process.stdin.on('data', async (chunk) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const [cmd, arg] = buffer.slice(0, nl).split(' ');
      buffer = buffer.slice(nl + 1);
      if (cmd === 'idle') {
        const before = process.cpuUsage();
        await new Promise((resolve) => setTimeout(resolve, Number(arg)));
        const used = process.cpuUsage(before);
        process.stdout.write(`${JSON.stringify({ idleCpuMs: (used.user + used.system) / 1000 })}\n`);
      } else if (cmd === 'mem') {
        global.gc?.();
        const m = process.memoryUsage();
        process.stdout.write(
          `${JSON.stringify({ heapMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024, domains, lagBytes: follower.status().lagBytes })}\n`,
        );
      }
    }
  });
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await follower.stop();
  store.close();
}

/** A child whose stdout is JSON lines; `until(pred)` resolves with the first line that matches. */
function jsonChild(args, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], ...options });
  let buffer = '';
  const waiters = [];
  child.stdout.on('data', (chunk) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      for (const w of [...waiters]) {
        if (!w.pred(msg)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  return {
    child,
    until: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })),
    send: (line) => child.stdin.write(`${line}\n`),
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.stdin.end())),
  };
}

function writer(src, dst) {
  return new Promise((resolve, reject) => {
    const w = spawn(process.execPath, [__filename, 'write', src, dst], { stdio: 'inherit' });
    w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited ${code}`))));
  });
}

/** CPU seconds (user + system) of a process so far, from /proc (Linux). */
function procCpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function roundTail(src, dir, expectedLines, idleMs) {
  const dst = path.join(dir, `tail-${Date.now()}.log`);
  fs.writeFileSync(dst, '');
  const tail = spawn('tail', ['-F', '-n', '+1', dst], { stdio: ['ignore', 'pipe', 'ignore'] });
  const grep = spawn('grep', ['--line-buffered', '-F', TEXT], { stdio: ['pipe', 'pipe', 'inherit'] });
  tail.stdout.pipe(grep.stdin);
  // tail may still be passing the last lines on when both are killed.
  grep.stdin.on('error', () => {});
  let count = 0;
  let partial = '';
  let done;
  const seen = new Promise((resolve) => (done = resolve));
  grep.stdout.on('data', (chunk) => {
    const text = partial + chunk.toString('latin1');
    let nl = -1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      count++;
      nl = i;
    }
    partial = text.slice(nl + 1);
    if (count >= expectedLines) done();
  });
  await new Promise((resolve) => setTimeout(resolve, 300)); // tail is watching
  const start = nowMs();
  await Promise.all([writer(src, dst), seen]);
  const ms = nowMs() - start;
  let idleCpuMs = null;
  if (idleMs) {
    const before = procCpuMs(tail.pid) + procCpuMs(grep.pid);
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    idleCpuMs = procCpuMs(tail.pid) + procCpuMs(grep.pid) - before;
  }
  tail.kill();
  grep.kill();
  fs.rmSync(dst, { force: true });
  return { ms, idleCpuMs, count };
}

async function roundOurs(src, dir, expected, options = {}) {
  const run = fs.mkdtempSync(path.join(dir, 'ours-'));
  const dst = path.join(run, 'exim_mainlog');
  fs.writeFileSync(dst, '');
  const f = jsonChild(['--expose-gc', __filename, 'follower', dst, run]);
  await f.until((m) => m.ready);
  const start = nowMs();
  await Promise.all([writer(src, dst), f.until((m) => m.count >= expected)]);
  const ms = nowMs() - start;
  const out = { ms };
  if (options.idleMs) {
    f.send(`idle ${options.idleMs}`);
    out.idleCpuMs = (await f.until((m) => m.idleCpuMs !== undefined)).idleCpuMs;
  }
  if (options.bursts) {
    f.send('mem');
    out.memBefore = await f.until((m) => m.heapMiB !== undefined);
    out.bursts = [];
    let total = expected;
    for (const size of options.bursts) {
      const burst = path.join(run, `burst-${size}.log`);
      writeBurst(burst, size);
      total += size;
      await Promise.all([writer(burst, dst), f.until((m) => m.count >= total)]);
      f.send('mem');
      out.bursts.push({ size, ...(await f.until((m) => m.heapMiB !== undefined)) });
    }
  }
  await f.stop();
  fs.rmSync(run, { recursive: true, force: true });
  return out;
}

/** `n` lockdown rejections from 20 domains within one minute of log time. */
function writeBurst(file, n) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    const id = `2Burst-${String(i).padStart(6, '0')}-${String(n % 100).padStart(2, '0')}`;
    const ts = `2026-11-29 10:00:${String(Math.floor((i * 60) / n)).padStart(2, '0')}`;
    const domain = `burst${i % 20}.example`;
    lines.push(`${ts} ${id} <= u@${domain} U=u P=local S=10\n`);
    lines.push(
      `${ts} ${id} ** r@gmail.example R=mailchannels T=mailchannels_smtp H=smtp.mailchannels.net [203.0.113.7]: SMTP error from remote mail server after end of data: 550 5.7.1 ${TEXT} ${domain}.\n`,
    );
    lines.push(`${ts} ${id} Completed\n`);
  }
  fs.writeFileSync(file, lines.join(''));
}

async function main() {
  const mode = process.argv[2];
  if (mode === 'write') return writeMode(process.argv[3], process.argv[4]);
  if (mode === 'follower') return followerMode(process.argv[3], process.argv[4]);
  const mib = Number(mode ?? 256);
  const idleMs = mib >= 128 ? 20_000 : 3000;
  const dir = tempDir('follow');
  try {
    const src = path.join(dir, 'source.log');
    const made = generate(src, mib * 2 ** 20);
    log(
      `follow: generated ${(made.bytes / 2 ** 20).toFixed(0)} MiB, ${made.lockdown} lockdown rejections (grep matches ${made.lockdown * 2} lines)`,
    );
    const tails = [];
    const ours = [];
    for (let round = 0; round < 3; round++) {
      const last = round === 2;
      const order = round % 2 === 0 ? ['tail', 'ours'] : ['ours', 'tail'];
      for (const which of order) {
        if (which === 'tail') tails.push(await roundTail(src, dir, made.lockdown * 2, last ? idleMs : 0));
        else ours.push(await roundOurs(src, dir, made.lockdown, last ? { idleMs, bursts: [10_000, 100_000] } : {}));
        const r = (which === 'tail' ? tails : ours).at(-1);
        log(
          `follow round ${round + 1} ${which}: ${r.ms.toFixed(0)} ms${r.idleCpuMs != null ? `, idle CPU ${r.idleCpuMs.toFixed(0)} ms in ${idleMs} ms` : ''}`,
        );
      }
    }
    const lastOurs = ours.at(-1);
    report({
      mib: made.bytes / 2 ** 20,
      lockdown: made.lockdown,
      tailMs: median(tails.map((t) => t.ms)),
      oursMs: median(ours.map((o) => o.ms)),
      idleMs,
      tailIdleCpuMs: tails.at(-1).idleCpuMs,
      oursIdleCpuMs: lastOurs.idleCpuMs,
      memBefore: lastOurs.memBefore,
      bursts: lastOurs.bursts,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
