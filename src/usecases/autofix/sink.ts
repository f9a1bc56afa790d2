/**
 * What the mail-log follower hands its failures to: each failure is classified (src/checks/bounce.ts,
 * the same classes as `bounces`), counted by class, and — for the rejections that mean a domain's DNS
 * is wrong (lockdown, SPF) — summed per domain. The sums are written with the log cursor (one
 * transaction, see src/adapters/follow/follower.ts); only then are the domains handed on to be
 * re-diagnosed.
 *
 * Memory is bounded by the number of distinct domains in one read (at most `maxDomains`), never by
 * the number of lines: a burst of 10 000 rejections from three domains is three entries.
 */
import type { EximFailure } from '../../adapters/exim/joiner';
import type { DomainRejections, RejectionBatch } from '../../adapters/store';
import { isAuthenticationFailure, type BounceClass } from '../../checks/bounce';
import { failureClassifier } from '../bounces';

export interface CommittedBatch {
  byClass: ReadonlyMap<BounceClass, number>;
  /** Domains with a lockdown or SPF rejection in this read. */
  domains: string[];
  /** Delay between a rejection's log time and now, in seconds, one entry per rejection line (at most 1000). */
  delays: number[];
}

export interface RejectionSinkDeps {
  record(batch: RejectionBatch): void;
  committed(batch: CommittedBatch): void;
  now?: () => number;
  /** Most distinct domains kept per read; more are still counted by class (default 10 000). */
  maxDomains?: number;
}

export interface RejectionSink {
  failure(failure: EximFailure): void;
  commit(): void;
  discard(): void;
  committed(): void;
  /** Domains dropped because a single read named more than `maxDomains` (they are counted by class). */
  readonly droppedDomains: number;
}

const MAX_DELAYS = 1000;

export function createRejectionSink(deps: RejectionSinkDeps): RejectionSink {
  const classOf = failureClassifier();
  const maxDomains = deps.maxDomains ?? 10_000;
  const now = deps.now ?? Date.now;
  let byClass = new Map<BounceClass, number>();
  let byDomain = new Map<string, DomainRejections>();
  let delays: number[] = [];
  let done: CommittedBatch | null = null;
  let droppedDomains = 0;

  const reset = () => {
    byClass = new Map();
    byDomain = new Map();
    delays = [];
  };

  return {
    failure(f) {
      const { cls, domain } = classOf(f);
      byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
      if (!isAuthenticationFailure(cls) || domain === null) return;
      if (delays.length < MAX_DELAYS) delays.push(Math.max(0, (now() - f.time.getTime()) / 1000));
      const d = byDomain.get(domain);
      if (d) {
        d.count++;
        d.cls = cls;
        if (f.time > d.last) d.last = f.time;
        if (f.time < d.first) d.first = f.time;
      } else if (byDomain.size < maxDomains) byDomain.set(domain, { cls, count: 1, first: f.time, last: f.time });
      else droppedDomains++;
    },
    commit() {
      deps.record({ byClass, byDomain });
      done = { byClass, domains: [...byDomain.keys()], delays };
      reset();
    },
    discard() {
      reset();
      done = null;
    },
    committed() {
      const batch = done;
      done = null;
      if (batch) deps.committed(batch);
    },
    get droppedDomains() {
      return droppedDomains;
    },
  };
}
