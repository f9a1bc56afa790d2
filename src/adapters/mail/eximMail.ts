/**
 * The mail port of the test-email use case on an Exim server: submit through sendmail as the user,
 * mark and follow the main log. Built from `paths.sendmail`, `paths.eximMainlog` and `mail.submitAs`.
 */
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

export function createEximMail(options: EximMailOptions): EximMail {
  const submitter = createSendmailSubmitter({
    sendmail: options.sendmail,
    identity: options.identity ?? 'auto',
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  });
  return {
    submit: (submission) => submitter.submit(submission),
    mark: () => markLog(options.mainlog),
    follow: (mark, match, follow) => followMessage(mark, match, { pollMs: options.pollMs, ...follow }),
  };
}
