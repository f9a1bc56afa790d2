/** Postfix mail-log reader (Plesk's MTA): failures joined to sender and SASL login, in the Exim reader's shape. */
export { readPostfixFailures } from './reader';
export { parsePostfixLine, parseDelivery, senderOf, saslUserOf, type PostfixLine, type DeliveryStatus } from './line';
