'use strict';
/**
 * Reading a 1 GB synthetic Exim main log for lockdown rejections (the `bounces` use case: reader,
 * joiner, classifier, per-domain aggregation) against `grep -c -F` of the rejection text on the same
 * file, median of three alternating rounds, the file warm in the page cache for both.
 * `node bench/exim.js [MiB]`. The file is generated in a temp dir and removed.
 *
 * The log: deliveries through the MailChannels relay as cPanel's Exim 4.96 logs them (arrival,
 * delivery or failure, Completed), 1 % lockdown rejections (each with Exim's extra per-host line,
 * which grep counts too and the reader rightly does not: grep's count is twice ours), some SPF
 * rejections, deferrals and local deliveries.
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { dist, timed, median, report, tempDir, log, runMain } = require('./common');

const TEXT = 'This sender is not authorized to send from';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function b62(n, width) {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = B62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** Write about `bytes` of log; returns how many lockdown failures it holds. */
function generate(file, bytes) {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let message = 0;
  let lockdown = 0;
  let second = 0;
  const start = new Date('2026-11-28T00:00:00');
  try {
    while (written < bytes) {
      const parts = [];
      for (let k = 0; k < 20000; k++) {
        message++;
        if (message % 3 === 0) second++;
        const t = new Date(start.getTime() + second * 1000);
        const ts = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
        const id = `${b62(message, 6)}-${b62(message * 7, 6)}-${b62(message % 3844, 2)}`;
        const user = `user${message % 5000}`;
        const domain = `site${message % 9000}.example`;
        const pid = 1000 + (message % 30000);
        parts.push(
          `${ts} [${pid}] ${id} <= ${user}@${domain} H=(pc) [198.51.100.${message % 250}]:${40000 + (message % 20000)} I=[192.0.2.10]:587 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_login:${user}@${domain} S=${1000 + (message % 9000)} id=${id}@${domain} for rcpt${message}@gmail.example\n`,
        );
        if (message % 100 === 7) {
          lockdown++;
          const reply = `SMTP error from remote mail server after end of data: 550 5.7.1 ${TEXT} ${domain}.`;
          parts.push(
            `${ts} [${pid + 1}] ${id} ** rcpt${message}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: ${reply}\n`,
          );
          parts.push(`${ts} [${pid + 1}] ${id} H=smtp.mailchannels.net [203.0.113.7]: ${reply}\n`);
        } else if (message % 250 === 11) {
          parts.push(
            `${ts} [${pid + 1}] ${id} ** rcpt${message}@outlook.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 550 5.7.1 [BFD] Sender prohibited by SPF\n`,
          );
        } else if (message % 300 === 13) {
          parts.push(
            `${ts} [${pid + 1}] ${id} == rcpt${message}@mx.partner.example R=lookuphost T=remote_smtp defer (111): Connection refused\n`,
          );
        } else {
          parts.push(
            `${ts} [${pid + 1}] ${id} => rcpt${message}@gmail.example R=dkim_lookuphost T=dkim_remote_smtp H=smtp.mailchannels.net [203.0.113.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 Ok: queued as ${b62(message * 13, 10)}"\n`,
          );
        }
        parts.push(`${ts} [${pid + 1}] ${id} Completed\n`);
      }
      const chunk = Buffer.from(parts.join(''), 'latin1');
      fs.writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: written, messages: message, lockdown };
}

async function main() {
  const mib = Number(process.argv[2] ?? 1024);
  const { findBounces } = dist('usecases/bounces');
  const dir = tempDir('exim');
  const file = path.join(dir, 'exim_mainlog');
  try {
    const made = generate(file, mib * 1024 * 1024);
    log(`exim: generated ${(made.bytes / 2 ** 20).toFixed(0)} MiB, ${made.messages} messages, ${made.lockdown} lockdown rejections`);
    const grep = () => Number(execFileSync('grep', ['-c', '-F', TEXT, file]).toString().trim());
    const ours = async () => {
      const r = await findBounces({ log: file, includeRotated: false });
      return r.domains.filter((d) => d.class === 'LOCKDOWN_REJECTED').reduce((n, d) => n + d.count, 0);
    };
    grep();
    await ours(); // both warm: the file in the page cache, our code compiled
    const grepMs = [];
    const oursMs = [];
    let counts = {};
    for (let round = 0; round < 3; round++) {
      const order = round % 2 === 0 ? ['grep', 'ours'] : ['ours', 'grep'];
      for (const which of order) {
        const { ms, value } = which === 'grep' ? await timed(async () => grep()) : await timed(ours);
        (which === 'grep' ? grepMs : oursMs).push(ms);
        counts = { ...counts, [which]: value };
        log(`exim round ${round + 1} ${which}: ${ms.toFixed(0)} ms (${value})`);
      }
    }
    report({
      mib: made.bytes / 2 ** 20,
      messages: made.messages,
      lockdown: made.lockdown,
      counts,
      grepMs: median(grepMs),
      oursMs: median(oursMs),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) runMain(main);

module.exports = { generate, TEXT };
