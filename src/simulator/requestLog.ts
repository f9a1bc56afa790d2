/**
 * What the client sent, call by call (checklist §10.5), so tests can assert on the exact
 * parameters (list params folded the cPanel way), the method and the authenticated user.
 */
import type { ParamPair } from './params';
import type { Side } from './auth';

export interface RequestLogEntry {
  seq: number;
  time: string;
  side: Side;
  method: string;
  /** URL path without the query, e.g. `/execute/DNS/parse_zone` or `/json-api/listaccts`. */
  path: string;
  /** `DNS/parse_zone`, `listaccts`, or `uapi_cpanel DNS/mass_edit_zone`. */
  call: string;
  params: Record<string, string | string[]>;
  pairs: ParamPair[];
  /** The user of a valid Authorization header, or null when auth failed. */
  authUser: string | null;
  /** HTTP status answered (0 = no answer: hung or dropped). */
  status: number;
  /** `metadata.result` / `status` of the JSON answer, when there was one. */
  result?: 0 | 1;
  /** The call was carried out, then its answer was lost to an `after` fault (faults.ts). */
  carriedOut?: boolean;
}

export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];
  private seq = 0;

  start(entry: Omit<RequestLogEntry, 'seq' | 'status'>): RequestLogEntry {
    const full: RequestLogEntry = { ...entry, seq: ++this.seq, status: 0 };
    this.entries.push(full);
    return full;
  }

  all(): RequestLogEntry[] {
    return [...this.entries];
  }

  /** Entries whose `call` equals the name or whose path contains it. */
  find(callOrPath: string): RequestLogEntry[] {
    return this.entries.filter((e) => e.call === callOrPath || e.path.includes(callOrPath));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
