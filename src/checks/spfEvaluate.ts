/**
 * SPF evaluation through nested includes, with mailauth 4.13's SPF verifier (`mailauth/lib/spf`) and
 * an injected resolver (src/ports.ts), to count DNS lookups (RFC 7208 §4.6.4: more than 10 is a
 * permerror at every receiver).
 *
 * How mailauth counts (node_modules/mailauth/lib/spf/index.js `limitedResolver`): the first TXT query
 * for the domain is free; every later query through the main resolver — an include's or redirect's
 * TXT, `a`, `mx`, `ptr`, `exists` — counts one, as the RFC does. The per-MX address lookups go through
 * a sub-resolver with its own limit (RFC 7208 §4.6.4: at most 10 per mechanism), reported in
 * `subqueries`. We raise mailauth's limit to EVALUATION_LOOKUP_CAP so the true count is known beyond
 * 10, and judge against 10 ourselves.
 *
 * Evaluation stops at the first matching mechanism; to count the whole tree, the default client
 * address is one no SPF record lists: 100::1, in the IPv6 discard-only prefix (RFC 6666).
 */
import { isIP } from 'net';
import { spf as mailauthSpf } from 'mailauth/lib/spf';
import { FixEmailAuthError } from '../errors';
import type { Resolver } from '../ports';
import { checkedDomain } from './domainName';
import type { Finding } from './findings';
import { SPF_LOOKUP_LIMIT, tooManyLookups } from './spfLookups';

export const PROBE_IP = '100::1';
export const EVALUATION_LOOKUP_CAP = 50;
export const DEFAULT_EVALUATION_TIMEOUT_MS = 20000;

export interface SpfEvaluationInput {
  domain: string;
  resolver: Resolver;
  /** Client address to evaluate for; default PROBE_IP (matches nothing, so the whole tree is walked). */
  ip?: string;
  /** MAIL FROM; default postmaster@<domain>. */
  sender?: string;
  timeoutMs?: number;
}

export interface SpfEvaluation {
  /** mailauth's result: pass, fail, softfail, neutral, none, permerror, temperror. */
  result: string;
  comment?: string;
  /** The SPF record evaluated, when one was found. */
  record?: string;
  /** DNS lookups counted as RFC 7208 §4.6.4 does (capped at EVALUATION_LOOKUP_CAP + 1). */
  lookups: number;
  voidLookups: number;
  /** relay.mailchannels.net was reached, directly or through nested includes. */
  includesMailChannels: boolean;
  /** The evaluation gave up after timeoutMs (a resolver that never answers). */
  timedOut: boolean;
  findings: Finding[];
}

export async function evaluateSpf(input: SpfEvaluationInput): Promise<SpfEvaluation> {
  const domain = checkedDomain(input.domain);
  if (input.ip !== undefined && !isIP(input.ip))
    throw new FixEmailAuthError('BAD_INPUT', `“${String(input.ip).slice(0, 60)}” is not an IP address.`);
  const queried = new Set<string>();
  const resolver = async (name: string, rrtype: string): Promise<string[][] | string[]> => {
    queried.add(`${name.toLowerCase().replace(/\.$/, '')} ${rrtype}`);
    return (await input.resolver(name, rrtype)) as string[][] | string[];
  };

  const timeoutMs = input.timeoutMs ?? DEFAULT_EVALUATION_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  let outcome: Awaited<ReturnType<typeof mailauthSpf>> | 'timeout';
  try {
    outcome = await Promise.race([
      mailauthSpf({
        sender: input.sender ?? `postmaster@${domain}`,
        ip: input.ip ?? PROBE_IP,
        helo: domain,
        mta: 'fix-email-auth',
        resolver,
        maxResolveCount: EVALUATION_LOOKUP_CAP,
        maxVoidCount: EVALUATION_LOOKUP_CAP,
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }

  const includesMailChannels = queried.has('relay.mailchannels.net TXT');
  if (outcome === 'timeout') {
    return {
      result: 'temperror',
      comment: `no answer within ${timeoutMs} ms`,
      lookups: 0,
      voidLookups: 0,
      includesMailChannels,
      timedOut: true,
      findings: [],
    };
  }
  const lookups = outcome.lookups?.count ?? 0;
  const evaluation: SpfEvaluation = {
    result: outcome.status.result,
    lookups,
    voidLookups: outcome.lookups?.void ?? 0,
    includesMailChannels,
    timedOut: false,
    findings: [],
  };
  if (typeof outcome.status.comment === 'string') evaluation.comment = outcome.status.comment;
  if (outcome.rr) evaluation.record = outcome.rr;
  if (lookups > SPF_LOOKUP_LIMIT) {
    evaluation.findings.push(
      tooManyLookups(domain, lookups, [], {
        record: outcome.rr ?? null,
        voidLookups: evaluation.voidLookups,
        subqueries: outcome.lookups?.subqueries ?? {},
        capped: lookups > EVALUATION_LOOKUP_CAP,
      }),
    );
  }
  return evaluation;
}
