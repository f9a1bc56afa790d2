'use strict';
/** The fake's clock and the time formats it prints (knobs `clock`, `clockOffsetSeconds`, `createdFormat`). */

function nowFrom(knobs) {
  const base = knobs.clock ? new Date(knobs.clock).getTime() : Date.now();
  if (Number.isNaN(base)) throw new Error(`fake jetbackup5api: knob clock ${knobs.clock} is not a time`);
  return base + (Number(knobs.clockOffsetSeconds) || 0) * 1000;
}

/** JetBackup prints whole seconds with an offset: 2023-09-19T00:22:06+00:00 (v5.3 API examples). */
function formatTime(ms, format) {
  if (ms === null || ms === undefined) return format === 'unix' ? 0 : '';
  const iso = new Date(ms).toISOString().slice(0, 19);
  switch (format) {
    case 'unix':
      return Math.floor(ms / 1000);
    case 'sql':
      return iso.replace('T', ' ');
    default:
      return `${iso}+00:00`;
  }
}

/** ObjectId-like 24-hex ids: seconds, a fixed tag, a counter, so they sort by creation. */
function newId(state, ms) {
  state.seq = (state.seq || 0) + 1;
  const seconds = Math.floor(ms / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
  return `${seconds}fa4e${state.seq.toString(16).padStart(12, '0')}`;
}

module.exports = { nowFrom, formatTime, newId };
