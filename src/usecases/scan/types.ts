/**
 * What a server scan reads and what it produces. The scan reads through a `ScanSource` (the fast path
 * over /etc/userdomains and /var/named, or WHM's API) and diagnoses zone by zone through a
 * `ZoneDiagnoser` (in this thread, or a pool of worker threads); both are ports the composition root
 * chooses.
 */
import type { ErrorInfo, ScanStatus } from '../../adapters/store';
import type { Config } from '../../config';
import type { DomainInfo, LocalAuthority } from '../../ports';
import type { Zone } from '../../zone/model';
import type { DomainReport } from '../report';

export type { ScanStatus };

/** A zone as the source hands it over: the file's bytes (fast path) or cPanel's parsed zone (API). */
export type ZoneContent = { bytes: Buffer } | { parsed: Zone };

export interface ScanSource {
  /** `files` (the fast path, no cPanel needed) or `api`. */
  readonly kind: 'files' | 'api';
  /** Every domain of the server with its zone, account and reseller. */
  listDomains(): Promise<DomainInfo[]>;
  /** One zone; a rejection becomes an error result for the zone's domains, never the end of the scan. */
  readZone(zone: string): Promise<ZoneContent>;
  /** The server's DKIM public key of a domain (`/var/cpanel/domain_keys/public/<domain>`), when known. */
  dkimPublicKey?(domain: string): Promise<string | undefined>;
  /** cPanel's "does the world ask this server" (API path); absent = not asked. */
  localAuthority?(domains: string[]): Promise<LocalAuthority[]>;
}

/** One domain of a zone, with what its diagnosis needs. */
export interface ZoneMember {
  domain: string;
  user: string;
  owner: string;
  dkimPublicKey?: string;
  authority?: LocalAuthority;
  /** The account's mailbox logins (tenant mode only). */
  mailboxes?: string[];
}

/** The diagnosis of one zone's domains: everything a worker thread needs, and nothing more. */
export interface ZoneTask {
  zone: string;
  members: ZoneMember[];
  content?: ZoneContent;
  /** Set when the zone could not be read: every member gets this error. */
  error?: ErrorInfo;
}

/** A domain that could not be diagnosed: `diagnose --json`'s shape with the error instead of findings. */
export interface ScanErrorReport {
  domain: string;
  zone: string;
  status: 'unknown';
  findings: [];
  plan: null;
  user: string;
  error: ErrorInfo;
}

/** `diagnose --json`'s per-domain object plus `user`; the error instead of findings when not diagnosed. */
export type ScanReport = (DomainReport & { user: string }) | ScanErrorReport;

/**
 * One scanned domain and where it belongs. The report travels serialized (`reportJson`): it is made
 * once, where the diagnosis runs (maybe a worker thread), and stored and printed as that text.
 */
export interface ScannedDomain {
  domain: string;
  zone: string;
  user: string;
  /** Reseller (or root) owning the account. */
  owner: string;
  status: ScanStatus;
  codes: string[];
  /** JSON of the ScanReport. */
  reportJson: string;
  /** Why the domain could not be diagnosed (status `unknown`). */
  error?: ErrorInfo;
}

/** Diagnoses zones: in this thread or in worker threads (src/adapters/fastpath/workerPool.ts). */
export interface ZoneDiagnoser {
  diagnose(task: ZoneTask): Promise<ScannedDomain[]>;
  close(): Promise<void>;
}

/** The part of the configuration a diagnosis reads (sent to worker threads as is). */
export type DiagnosisConfig = Pick<Config, 'provider' | 'dns' | 'policy'> & Partial<Pick<Config, 'lockdown'>>;

export interface ScanProgress {
  zonesDone: number;
  zonesTotal: number;
  domainsDone: number;
  domainsTotal: number;
  /** Domains whose zone could not be read or diagnosed. */
  errors: number;
}

export interface ScanOptions {
  /** Only this cPanel account's domains. */
  user?: string;
  /** Only accounts owned by this reseller (`root` for the server's own). */
  reseller?: string;
  /** Only zones in this set (a scan job's share of the server). */
  zoneFilter?: (zone: string) => boolean;
  /** Yield only domains with one of these statuses (every domain is still stored). */
  statuses?: readonly ScanStatus[];
  /** Yield only domains with one of these finding codes (every domain is still stored). */
  codes?: readonly string[];
  /** Zones read and diagnosed at once. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ScanProgress) => void;
  /** Every diagnosed domain, before the status and code filters (counts for a job's result). */
  onResult?: (row: ScannedDomain) => void;
  /** Stored results per SQLite transaction (default 500). */
  batchSize?: number;
}

export function isErrorReport(report: ScanReport): report is ScanErrorReport {
  return (report as ScanErrorReport).error !== undefined;
}

export function reportOf(row: Pick<ScannedDomain, 'reportJson'>): ScanReport {
  return JSON.parse(row.reportJson) as ScanReport;
}

/** The parts of DomainInfo a scan groups by. */
export type ScanDomain = Pick<DomainInfo, 'domain' | 'zone' | 'user' | 'owner'>;
