/** Scanning the server: every domain diagnosed zone by zone, streamed, the latest result kept per domain. */
export { scanServer, runScan, groupByZone, type ScanContext } from './scanServer';
export { diagnoseZoneTask, inThreadDiagnoser, errorResult } from './diagnoseZone';
export { reduceZoneText, type ReducedZone } from './relevantLines';
export { apiScanSource } from './apiSource';
export type {
  ScanSource,
  ZoneContent,
  ZoneTask,
  ZoneMember,
  ScannedDomain,
  ScanErrorReport,
  ScanReport,
  ZoneDiagnoser,
  DiagnosisConfig,
  ScanProgress,
  ScanOptions,
  ScanStatus,
} from './types';
export { isErrorReport, reportOf } from './types';
export {
  startScan,
  scanSliceHandler,
  registerScanJobs,
  sliceBounds,
  inSlice,
  type ScanJobParams,
  type ScanJobOptions,
  type StartScanDeps,
  type ScanHandlerDeps,
  type SliceResult,
} from './job';
