/** Notices to account owners and the admin: mail through the local MTA, contact addresses from WHM. */
export { createNoticeMailer, composeNotice, NOTICE_SUBMITTER, type NoticeMail, type NoticeMailerOptions } from './mailer';
export { contactAddresses, createContactLookup } from './contact';
