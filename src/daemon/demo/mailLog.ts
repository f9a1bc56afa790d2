/**
 * A few days of Exim main log for the demo, in Exim 4's own line format
 * (docs/reference/jetbackup-and-exim.md §2): messages from the demo's stale domains that MailChannels rejected with
 * the lockdown 550, plus ordinary deliveries, so the admin's "recent rejections" page has content.
 */
import { writeFileSync } from 'fs';

const pad = (n: number) => String(n).padStart(2, '0');

/** Exim logs local time without a zone: `2026-11-28 12:00:05`. */
function eximTime(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** An Exim message id in the classic 6-6-2 base-62 form, unique per index. */
function messageId(i: number): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let n = i * 7919 + 1000;
  let mid = '';
  for (let k = 0; k < 6; k++) {
    mid += chars[n % 62];
    n = Math.floor(n / 62) + 17;
  }
  return `1tQx${pad(i % 62)}-${mid}-${chars[i % 62]}Z`;
}

const REJECTIONS: Array<{ domain: string; user: string; mailbox: string; to: string }> = [
  { domain: 'migrated.example', user: 'alice', mailbox: 'info@migrated.example', to: 'customer@gmail.example' },
  { domain: 'migrated.example', user: 'alice', mailbox: 'sales@migrated.example', to: 'orders@partner.example' },
  { domain: 'cfid.example', user: 'bob', mailbox: 'bob@cfid.example', to: 'friend@mail.example' },
  { domain: 'resell.example', user: 'resell', mailbox: 'billing@resell.example', to: 'client@company.example' },
  { domain: 'shop.migrated.example', user: 'alice', mailbox: 'orders@shop.migrated.example', to: 'buyer@mail.example' },
];

export function demoMailLog(now: Date): string {
  const lines: string[] = [];
  let i = 0;
  // Oldest first, a few hours apart, ending a little before now.
  const events = [...REJECTIONS, ...REJECTIONS.slice(0, 3)];
  events.forEach((r, k) => {
    const at = new Date(now.getTime() - (events.length - k) * 3 * 3600_000);
    const id = messageId(i++);
    const t = eximTime(at);
    const t2 = eximTime(new Date(at.getTime() + 2000));
    lines.push(
      `${t} ${id} <= ${r.mailbox} H=(laptop) [198.51.100.23] P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no A=dovecot_login:${r.mailbox} S=2104 id=${id}@${r.domain} T="Hello"`,
    );
    lines.push(
      `${t2} ${id} ** ${r.to} R=mailchannels_smarthost T=mailchannels_smtp H=smtp.mailchannels.net [23.83.209.10] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes: SMTP error from remote mail server after end of data: 550 5.7.1 This sender is not authorized to send from ${r.domain}.`,
    );
    lines.push(`${t2} ${id} Completed`);
    // An ordinary delivery from a correct domain in between.
    const ok = messageId(i++);
    lines.push(`${t2} ${ok} <= news@good.example U=erin P=local S=1200 id=${ok}@good.example T="Newsletter"`);
    lines.push(
      `${t2} ${ok} => reader@mail.example R=mailchannels_smarthost T=mailchannels_smtp H=smtp.mailchannels.net [23.83.209.10] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C="250 2.0.0 Ok: queued"`,
    );
    lines.push(`${t2} ${ok} Completed`);
  });
  return `${lines.join('\n')}\n`;
}

export function writeDemoMailLog(path: string, now: Date): void {
  writeFileSync(path, demoMailLog(now), { mode: 0o600 });
}
