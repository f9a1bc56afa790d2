/**
 * Server endpoints written as text: `192.0.2.1`, `192.0.2.1:5300`, `2001:db8::1`, `[2001:db8::1]:5300`
 * (the forms `dns.setServers` accepts). Configs and tests use the port form to point at a local
 * PowerDNS or at several loopback servers that differ only by port.
 */
import { isIP } from 'net';

export interface ParsedEndpoint {
  address: string;
  /** Present only when the text named a port. */
  port?: number;
}

/** The endpoint, or null when the text is not an IP literal (e.g. a host name still to resolve). */
export function parseEndpoint(text: string): ParsedEndpoint | null {
  const trimmed = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(trimmed);
  if (bracketed) {
    const address = bracketed[1]!;
    if (isIP(address) !== 6) return null;
    return withPort(address, bracketed[2]);
  }
  if (isIP(trimmed) !== 0) return { address: trimmed };
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(trimmed);
  if (v4port && isIP(v4port[1]!) === 4) return withPort(v4port[1]!, v4port[2]);
  return null;
}

function withPort(address: string, port: string | undefined): ParsedEndpoint | null {
  if (port === undefined) return { address };
  const n = Number(port);
  return n >= 1 && n <= 65535 ? { address, port: n } : null;
}

/** `192.0.2.1:53`, `[::1]:5300`: for messages. */
export function formatEndpoint(address: string, port: number): string {
  return isIP(address) === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}
