/**
 * The mail port of the test-email use case on an Exim server: submit through sendmail as the user,
 * mark and follow the main log. Built from `paths.sendmail` and `paths.eximMainlog`.
 */
import { FixEmailAuthError } from '../../errors';
import { followMessage, markLog, type FollowOptions, type FollowResult, type LogMark, type MessageMatch } from './followLog';
import { createSendmailSubmitter, type Submission, type SubmitIdentity } from './sendmail';

export interface EximMailOptions {
  sendmail: string;
  mainlog: string;
  identity?: SubmitIdentity;
  extraArgs?: readonly string[];
  pollMs?: number;
}

export interface EximMail {
  submit(submission: Submission): Promise<void>;
  mark(): Promise<LogMark>;
  follow(mark: LogMark, match: MessageMatch, options: FollowOptions): Promise<FollowResult>;
}

/**
 * `FIX_EMAIL_AUTH_SENDMAIL_IDENTITY=trusted-caller` switches from running sendmail as the user
 * (`setuid`, the default) to Exim's `-oMai/-oMt` as a trusted caller; the test harness needs it
 * (see sendmail.ts). Anything else is refused rather than silently ignored.
 */
export function identityFromEnv(env: NodeJS.ProcessEnv): SubmitIdentity {
  const value = env.FIX_EMAIL_AUTH_SENDMAIL_IDENTITY;
  if (value === undefined || value === '' || value === 'setuid') return 'setuid';
  if (value === 'trusted-caller') return 'trusted-caller';
  throw new FixEmailAuthError('CONFIG_INVALID', `FIX_EMAIL_AUTH_SENDMAIL_IDENTITY must be "setuid" or "trusted-caller", not ${JSON.stringify(value.slice(0, 40))}`, { step: 'config' });
}

export function createEximMail(options: EximMailOptions): EximMail {
  const submitter = createSendmailSubmitter({ sendmail: options.sendmail, identity: options.identity ?? 'setuid', ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}) });
  return {
    submit: (submission) => submitter.submit(submission),
    mark: () => markLog(options.mainlog),
    follow: (mark, match, follow) => followMessage(mark, match, { pollMs: options.pollMs, ...follow }),
  };
}
