/** The fast path: the server's own files, read directly for a scan (writes always go through the API). */
export { fileScanSource, type FilePaths, type FileScanSource, type FileScanSourceOptions } from './source';
export { parseUserDomains, readUserDomains, type UserDomains } from './userdomains';
export { parseCpanelUserFile, readCpanelUserFile, readAccountFactsSync, type CpanelUserFile, type AccountFacts } from './cpanelUsers';
export { listZoneFiles, readZoneFile, filesReadable, MAX_ZONE_FILE_BYTES } from './zoneFiles';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './workerPool';
