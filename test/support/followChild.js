'use strict';
/**
 * A stand-in daemon for the restart test: the compiled follower and rejection sink on a journal, as
 * src/daemon/selfHeal.ts runs them, following LOG until it is killed.
 *   node test/support/followChild.js LOG JOURNAL
 */
const path = require('path');
const dist = (rel) => require(path.join(__dirname, '..', '..', 'dist', rel));
const { openStore } = dist('adapters/store');
const { createFollower } = dist('adapters/follow');
const { createRejectionSink } = dist('usecases/autofix/sink');

const [log, journal] = process.argv.slice(2);
const store = openStore(journal);
const sink = createRejectionSink({ record: (batch) => store.selfHeal.recordRejections(batch), committed: () => undefined });
const follower = createFollower({
  log,
  cursors: store.logCursors,
  transaction: (fn) => store.transaction(fn),
  sink,
  pollMs: 10,
  // The test's log lines are dated 2026-11-28: the first look must not skip them as "before the start".
  now: () => Date.parse('2026-11-28T00:00:00'),
});
follower.start();
process.stdout.write('ready\n');
