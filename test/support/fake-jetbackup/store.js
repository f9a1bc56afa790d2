'use strict';
/**
 * The fake's state: one JSON file in the state directory, read and written under a lock directory
 * (`mkdir` is atomic), because the adapter's callers may run several `jetbackup5api` at once.
 * Writes go to a temporary file first and are renamed into place, so a reader never sees half a file.
 */
const fs = require('fs');
const path = require('path');
const { FILES } = require('./layout');

const LOCK_STALE_MS = 30000;
const LOCK_GIVE_UP_MS = 20000;

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function writeFileAtomic(file, content) {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(temp, content);
  fs.renameSync(temp, file);
}

function acquireLock(stateDir) {
  const lock = path.join(stateDir, FILES.LOCK);
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return lock;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    try {
      // A lock left by a crashed call would block every later call; old locks are broken.
      if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmdirSync(lock);
    } catch {
      /* another call broke or released it first */
    }
    if (Date.now() - started > LOCK_GIVE_UP_MS) throw new Error(`fake jetbackup5api: state lock ${lock} stayed busy`);
    sleepSync(5 + Math.floor(Math.random() * 10));
  }
}

function withLockedState(stateDir, initialState, fn) {
  fs.mkdirSync(stateDir, { recursive: true });
  const lock = acquireLock(stateDir);
  try {
    const file = path.join(stateDir, FILES.STATE);
    const state = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : initialState();
    const result = fn(state);
    writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
    return result;
  } finally {
    fs.rmdirSync(lock);
  }
}

function recordInvocation(stateDir, entry) {
  fs.appendFileSync(path.join(stateDir, FILES.INVOCATIONS), `${JSON.stringify(entry)}\n`);
}

module.exports = { withLockedState, recordInvocation, writeFileAtomic };
