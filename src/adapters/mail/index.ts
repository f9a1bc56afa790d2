/** Sending mail through the local MTA as a cPanel user, and following it in Exim's main log. */
export { createSendmailSubmitter, type MailSubmitter, type SendmailOptions, type Submission, type SubmitIdentity } from './sendmail';
export {
  followMessage,
  markLog,
  type DeliveryState,
  type FollowOptions,
  type FollowResult,
  type LogMark,
  type MessageMatch,
} from './followLog';
export { findPasswdEntry, lookupUnixUser, type UnixUser } from './passwd';
export { parseMessageLine, arrivalMarks, parseDelivery } from './logLine';
export { createEximMail, type EximMail, type EximMailOptions } from './eximMail';
