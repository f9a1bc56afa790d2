/**
 * A fake `jetbackup5api` for tests (docs/reference/jetbackup-and-exim.md §1.12), ready to be spawned by the real
 * adapter. Give it the cPanel simulator's zone directory and the accounts; pass `env` to the process
 * that runs `bin` (e.g. `new JetBackupBackup({ apiPath: fake.bin, env: { ...process.env, ...fake.env } })`).
 *
 *   const fake = setupFakeJetBackup({ zonesDir, accounts: { alice: ['example.com'] } });
 *   fake.setKnobs({ finalStatus: 200 });      // between calls
 *   fake.invocations().map((i) => i.fn);      // what the client ran
 *   fake.cleanup();
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { ENV, FILES, accountIdFor, snapshotZonePath } from './layout';

export interface FakeJetBackupKnobs {
  /** false: no Backup-on-Demand job is selected. */
  onDemandJob: boolean;
  /** `contains` of the Backup-on-Demand job (511 all; without 32 there is no DNS item). */
  jobContains: number;
  /** Final status of backup groups: 100, 101, 102, 200, 201, … */
  finalStatus: number;
  /** getQueueGroup/listQueueGroups calls before a group ends; 'never' never ends. */
  pollsUntilDone: number | 'never';
  restoreFinalStatus: number;
  /** addQueueItems type=2 answers success 0 with this message. */
  restoreQueueError: string | null;
  /** Fixed ISO time of the fake's clock (null: real time), and an offset in seconds. */
  clock: string | null;
  clockOffsetSeconds: number;
  /** Empty `data` as `{}` or `[]`. */
  emptyData: 'object' | 'array';
  /** Boolean spellings accepted in `-D`. */
  booleans: 'numeric' | 'word' | 'both';
  createdFormat: 'iso' | 'unix' | 'sql';
  groupVisibleAfterPolls: number;
  /** { fn: message }: that function answers success 0. */
  failFunctions: Record<string, string>;
  /** Force the exit code (null: 0, or 1 on success 0). */
  exitCode: number | null;
  stdoutPrefix: string;
}

export interface FakeInvocation {
  argv: string[];
  fn: string;
  /** The `-D` query, parsed like PHP's parse_str. */
  params: Record<string, unknown>;
  at: string;
}

export interface FakeJetBackupOptions {
  zonesDir: string;
  /** username → zones (each `<zone>.db` in zonesDir). */
  accounts: Record<string, string[]>;
  knobs?: Partial<FakeJetBackupKnobs>;
  /** Shell command run after a DNS restore (env FAKE_JETBACKUP_RESTORED_USER/_ZONES). */
  afterRestore?: string;
  /** Default: a new temporary directory, removed by cleanup(). */
  stateDir?: string;
}

export interface FakeJetBackup {
  /** Executable path to use as `backup.jetbackupApi`. */
  bin: string;
  /** The FAKE_JETBACKUP_* variables only; merge with process.env for the child. */
  env: Record<string, string>;
  stateDir: string;
  invocations(): FakeInvocation[];
  /** Merge knobs into `knobs.json`; the next call sees them. */
  setKnobs(knobs: Partial<FakeJetBackupKnobs>): void;
  /** The fake's raw state (state.json), for assertions. */
  state(): FakeState;
  /** JetBackup `_id` of a username (stable). */
  accountId(username: string): string;
  /** Where a snapshot keeps its copy of a zone file. */
  snapshotZonePath(snapshotId: string, zone: string): string;
  cleanup(): void;
}

export interface FakeState {
  settings: { backup: string; retain: number; ttl: number };
  groups: Array<{
    _id: string;
    kind: string;
    status: number;
    ended: number | null;
    accounts: string[];
    snapshotId?: string;
    itemIds?: string[];
    options?: Record<string, boolean>;
  }>;
  backups: Array<{
    snapshotId: string;
    accountId: string;
    username: string;
    contains: number;
    safety: boolean;
    items: Array<{ _id: string; contains: number; zones?: string[] }>;
  }>;
}

export const FAKE_JETBACKUP_BIN = resolve(__dirname, '..', 'bin', 'jetbackup5api');

export function setupFakeJetBackup(options: FakeJetBackupOptions): FakeJetBackup {
  const ownsStateDir = options.stateDir === undefined;
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'fake-jetbackup-'));
  mkdirSync(stateDir, { recursive: true });
  const knobsFile = join(stateDir, FILES.KNOBS);
  const readKnobs = (): Partial<FakeJetBackupKnobs> =>
    existsSync(knobsFile) ? (JSON.parse(readFileSync(knobsFile, 'utf8')) as Partial<FakeJetBackupKnobs>) : {};
  const setKnobs = (knobs: Partial<FakeJetBackupKnobs>) => writeFileSync(knobsFile, JSON.stringify({ ...readKnobs(), ...knobs }, null, 2));
  if (options.knobs) setKnobs(options.knobs);

  const env: Record<string, string> = {
    [ENV.STATE]: stateDir,
    [ENV.ACCOUNTS]: JSON.stringify(options.accounts),
    [ENV.ZONES_DIR]: options.zonesDir,
  };
  if (options.afterRestore) env[ENV.AFTER_RESTORE] = options.afterRestore;

  return {
    bin: FAKE_JETBACKUP_BIN,
    env,
    stateDir,
    invocations() {
      const file = join(stateDir, FILES.INVOCATIONS);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as FakeInvocation);
    },
    setKnobs,
    state() {
      return JSON.parse(readFileSync(join(stateDir, FILES.STATE), 'utf8')) as FakeState;
    },
    accountId: accountIdFor,
    snapshotZonePath: (snapshotId, zone) => snapshotZonePath(stateDir, snapshotId, zone),
    cleanup() {
      if (ownsStateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
