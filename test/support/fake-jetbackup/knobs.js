'use strict';
/**
 * Test knobs (docs/reference/jetbackup-and-exim.md §1.12). Read on every call, from env FAKE_JETBACKUP_KNOBS and
 * then `knobs.json` in the state directory, so a test can change them between two calls.
 */
const fs = require('fs');
const path = require('path');
const { ENV, FILES } = require('./layout');

const DEFAULT_KNOBS = Object.freeze({
  /** false: no Backup-on-Demand job is selected (getSettingsSnapshots `backup` is empty). */
  onDemandJob: true,
  /** `contains` of the Backup-on-Demand job; 511 = everything, without 32 = no DNS item. */
  jobContains: 511,
  /** Final status of backup queue groups (100, 101, 102, 200, 201). */
  finalStatus: 100,
  /** getQueueGroup/listQueueGroups calls before a group ends; "never" (or -1) = never ends. */
  pollsUntilDone: 2,
  /** Final status of restore queue groups; anything but 100–102 leaves the zone files alone. */
  restoreFinalStatus: 100,
  /** A string: addQueueItems type=2 answers success 0 with this message. */
  restoreQueueError: null,
  /** Fixed ISO time for the fake's clock; null = real time (plus clockOffsetSeconds). */
  clock: null,
  clockOffsetSeconds: 0,
  /** How empty `data` is printed: "object" `{}` or "array" `[]` (PHP's empty array). */
  emptyData: 'object',
  /** Boolean inputs accepted: "numeric" 1/0, "word" true/false, or "both". */
  booleans: 'both',
  /** Format of `created`/`ended`: "iso" (2023-09-19T00:22:06+00:00), "unix" seconds, "sql" (2023-09-19 00:22:06). */
  createdFormat: 'iso',
  /** listQueueGroups leaves a new group out of this many answers (JetBackup picking it up late). */
  groupVisibleAfterPolls: 0,
  /** { "<function>": "<message>" }: that function answers success 0. */
  failFunctions: {},
  /** Force the process exit code (the real one on success 0 is unverified); null = 0, or 1 on success 0. */
  exitCode: null,
  /** Text printed before the JSON (a PHP notice), to test lenient readers. */
  stdoutPrefix: '',
});

function readJson(text, where) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`fake jetbackup5api: ${where} is not JSON: ${err.message}`, { cause: err });
  }
}

function readKnobs(env, stateDir) {
  let knobs = { ...DEFAULT_KNOBS };
  if (env[ENV.KNOBS]) knobs = { ...knobs, ...readJson(env[ENV.KNOBS], ENV.KNOBS) };
  const file = path.join(stateDir, FILES.KNOBS);
  if (fs.existsSync(file)) knobs = { ...knobs, ...readJson(fs.readFileSync(file, 'utf8'), file) };
  return knobs;
}

function neverEnds(knobs) {
  return knobs.pollsUntilDone === 'never' || knobs.pollsUntilDone === -1;
}

module.exports = { DEFAULT_KNOBS, readKnobs, neverEnds };
