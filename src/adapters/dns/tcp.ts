/**
 * DNS over TCP: each message is preceded by its length as a two-byte big-endian integer
 * (RFC 1035 §4.2.2, RFC 7766 §8). Used when a UDP answer came back truncated (TC bit, RFC 2181 §9)
 * or when asked to. One connection per query: truncation is rare, so pooling would buy little and
 * an idle connection the server closes under us would cost more.
 */
import * as net from 'net';
import { FixEmailAuthError } from '../../errors';
import { matchResponse, type BuiltQuery } from './packet';
import type { DecodedResponse } from './responseDecoder';
import type { Endpoint } from './udp';

type Decoded = DecodedResponse;

function describe(endpoint: Endpoint): string {
  return net.isIPv6(endpoint.address) ? `[${endpoint.address}]:${endpoint.port}` : `${endpoint.address}:${endpoint.port}`;
}

/** Prefix a DNS message with its two-byte length. */
export function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(message.length + 2);
  out.writeUInt16BE(message.length, 0);
  message.copy(out, 2);
  return out;
}

/**
 * Split a byte stream into DNS messages. Returns the complete messages and the bytes left over
 * (the start of a message whose rest has not arrived yet).
 */
export function unframe(buffer: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const len = buffer.readUInt16BE(offset);
    if (buffer.length - offset - 2 < len) break;
    messages.push(buffer.subarray(offset + 2, offset + 2 + len));
    offset += 2 + len;
  }
  return { messages, rest: buffer.subarray(offset) };
}

export function tcpExchange(endpoint: Endpoint, query: BuiltQuery, timeoutMs: number, signal?: AbortSignal): Promise<Decoded> {
  return new Promise<Decoded>((resolve, reject) => {
    let settled = false;
    let buffered: Buffer = Buffer.alloc(0);
    const socket = net.createConnection({ host: endpoint.address, port: endpoint.port });
    const finish = (err: Error | null, decoded?: Decoded) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(decoded!);
    };
    const onAbort = () =>
      finish(
        new FixEmailAuthError('DNS_ERROR', `DNS query for ${query.name} ${query.type} to ${describe(endpoint)} was aborted`, {
          step: 'verify',
          cause: signal?.reason,
        }),
      );
    const timer = setTimeout(
      () =>
        finish(
          new FixEmailAuthError(
            'TIMEOUT',
            `No answer over TCP from ${describe(endpoint)} for ${query.name} ${query.type} within ${timeoutMs} ms`,
            { step: 'verify' },
          ),
        ),
      timeoutMs,
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('connect', () => socket.write(frame(query.packet)));
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const { messages, rest } = unframe(buffered);
      buffered = rest;
      for (const message of messages) {
        const decoded = matchResponse(message, query);
        if (decoded) return finish(null, decoded);
      }
    });
    socket.on('error', (err: Error & { code?: string }) => {
      const reason =
        err.code === 'ECONNREFUSED'
          ? `nothing listens on TCP ${describe(endpoint)} (connection refused)`
          : `TCP error talking to ${describe(endpoint)}: ${err.message}`;
      finish(new FixEmailAuthError('DNS_ERROR', reason, { step: 'verify', cause: err }));
    });
    socket.on('close', () =>
      finish(
        new FixEmailAuthError('DNS_ERROR', `${describe(endpoint)} closed the TCP connection before answering ${query.name} ${query.type}`, {
          step: 'verify',
        }),
      ),
    );
  });
}
