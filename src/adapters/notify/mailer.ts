/**
 * Notices by mail through the local MTA: the message is composed by nodemailer's MailComposer (header
 * encoding of non-ASCII text, quoted-printable body, Message-ID and Date) and handed to sendmail by
 * the mail adapter (src/adapters/mail/sendmail.ts) as a trusted caller — the daemon runs as root,
 * which Exim always trusts, so `-f` sets the envelope sender and `-oMai` names the sender
 * `fix-email-auth` in the log and for MailChannels' X-AuthUser.
 *
 * `Auto-Submitted: auto-generated` (RFC 3834 §5) keeps vacation responders from answering.
 */
import MailComposer from 'nodemailer/lib/mail-composer';
import { createSendmailSubmitter, type MailSubmitter } from '../mail/sendmail';

export interface NoticeMail {
  to: readonly string[];
  subject: string;
  text: string;
}

export interface NoticeMailerOptions {
  sendmail: string;
  /** Envelope and header sender, e.g. `fix-email-auth@server.example.net`. */
  from: string;
  /** Extra sendmail arguments (tests: the harness's `-C <config>`). */
  extraArgs?: readonly string[];
  /** Replaces the sendmail submitter (tests). */
  submitter?: MailSubmitter;
}

/** The local name Exim logs as the submitter (`U=`) of notices. */
export const NOTICE_SUBMITTER = 'fix-email-auth';

export async function composeNotice(from: string, mail: NoticeMail): Promise<string> {
  const node = new MailComposer({
    from,
    to: [...mail.to],
    subject: mail.subject,
    text: mail.text,
    headers: { 'Auto-Submitted': 'auto-generated' },
  }).compile();
  const raw: Buffer = await node.build();
  // sendmail -t reads LF line ends; the body is quoted-printable, so no bare CR is lost.
  return raw.toString('latin1').replace(/\r\n/g, '\n');
}

export function createNoticeMailer(options: NoticeMailerOptions) {
  const submitter =
    options.submitter ??
    createSendmailSubmitter({
      sendmail: options.sendmail,
      identity: 'trusted-caller',
      ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
    });
  return {
    async send(mail: NoticeMail): Promise<void> {
      if (mail.to.length === 0) return;
      const message = await composeNotice(options.from, mail);
      await submitter.submit({ user: NOTICE_SUBMITTER, envelopeFrom: options.from, message });
    },
  };
}
