/** MailChannels relay double: SMTP listener, Domain Lockdown rule, TXT lookup (docs/reference/mailchannels.md §11). */
export {
  startRelay,
  rejectionText,
  type Relay,
  type RelayAccount,
  type RelayOptions,
  type RelayedMessage,
  type RejectionVariant,
} from './server';
export {
  decideLockdown,
  relaySenderId,
  sidwMatches,
  type LockdownDecision,
  type LockdownRuleOptions,
  type RelaySender,
} from './lockdownRule';
export { dnsTxtLookup, TxtLookupError, type TxtLookup, type DnsTxtLookupOptions } from './txtLookup';
export { parseHeaderBlock, fromHeaderAddress, authUserHeader, domainOf, type HeaderField } from './headers';
