/**
 * A scan worker thread: diagnoses the zones the main thread sends (see src/adapters/fastpath/
 * workerPool.ts for the protocol). Pure CPU work — the main thread reads the files and stores the
 * results — so a server with many cores diagnoses many zones at once.
 */
import { parentPort, workerData } from 'worker_threads';
import { diagnoseZoneTask } from './diagnoseZone';
import type { DiagnosisConfig, ZoneTask } from './types';

const config = (workerData as { config: DiagnosisConfig }).config;

parentPort?.on('message', (msg: { id: number; task: ZoneTask }) => {
  diagnoseZoneTask(config, msg.task).then(
    (result) => parentPort?.postMessage({ id: msg.id, result }),
    (err: unknown) => parentPort?.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
