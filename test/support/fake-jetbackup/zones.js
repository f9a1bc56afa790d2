'use strict';
/**
 * The part of a snapshot the project cares about: the account's DNS zone files. A backup copies
 * `<zonesDir>/<zone>.db` into the state directory; a DNS restore copies them back atomically
 * (temporary file + rename, so a name server never reads half a zone) and then runs the optional
 * FAKE_JETBACKUP_AFTER_RESTORE command (e.g. a PowerDNS reload).
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { snapshotZonePath } = require('./layout');
const { writeFileAtomic } = require('./store');

/** Copies the zones that exist; returns the zones copied and the log lines. */
function snapshotZones(ctx, snapshotId, zones) {
  const copied = [];
  const log = [];
  if (!ctx.zonesDir) {
    log.push('No zone directory configured (FAKE_JETBACKUP_ZONES_DIR); DNS item is empty');
    return { copied, log };
  }
  for (const zone of zones) {
    const source = path.join(ctx.zonesDir, `${zone}.db`);
    if (!fs.existsSync(source)) {
      log.push(`Zone file ${source} not found; skipped`);
      continue;
    }
    const target = snapshotZonePath(ctx.stateDir, snapshotId, zone);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(source, target);
    copied.push(zone);
    log.push(`Backed up DNS zone ${zone}`);
  }
  return { copied, log };
}

function restoreZones(ctx, snapshotId, zones) {
  const log = [];
  if (!ctx.zonesDir) throw new Error('No zone directory configured (FAKE_JETBACKUP_ZONES_DIR)');
  for (const zone of zones) {
    const saved = snapshotZonePath(ctx.stateDir, snapshotId, zone);
    const target = path.join(ctx.zonesDir, `${zone}.db`);
    writeFileAtomic(target, fs.readFileSync(saved));
    log.push(`Restored DNS zone ${zone}`);
  }
  return log;
}

/** Runs the after-restore hook; returns { ok, log }. */
function runAfterRestore(ctx, user, zones) {
  if (!ctx.afterRestore) return { ok: true, log: [] };
  const result = spawnSync('/bin/sh', ['-c', ctx.afterRestore], {
    env: { ...process.env, FAKE_JETBACKUP_RESTORED_USER: user, FAKE_JETBACKUP_RESTORED_ZONES: zones.join(' ') },
    encoding: 'utf8',
    timeout: 60000,
  });
  const output = `${result.stdout || ''}${result.stderr || ''}`.trim();
  if (result.status === 0) return { ok: true, log: [`After-restore command succeeded${output ? `: ${output}` : ''}`] };
  return { ok: false, log: [`After-restore command failed (exit ${result.status ?? result.signal})${output ? `: ${output}` : ''}`] };
}

module.exports = { snapshotZones, restoreZones, runAfterRestore };
