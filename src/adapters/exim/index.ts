/** Exim main-log reader: failures joined to their sender, incremental and rotation-aware. */
export { readEximFailures } from './reader';
export type { ReadEximOptions, ReadEximResult, FileRead } from './reader';
export type { EximFailure, JoinerLimits } from './joiner';
export { FailureJoiner, DEFAULT_JOINER_LIMITS } from './joiner';
export { MemoryCursorStore, JsonFileCursorStore, hashHead, HEAD_BYTES } from './cursor';
export type { LogCursor, LogCursorStore } from './cursor';
export { parseFields, parseArrival, parseFailure } from './fields';
export type { Field, ArrivalIdentity, FailureParts } from './fields';
export { listRotations } from './rotation';
export type { LogFileInfo } from './rotation';
export { parseSince } from './since';
