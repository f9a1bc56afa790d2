/** The daemon: `fix-email-auth serve`, its pages and the JSON API of docs/daemon-protocol.md. */
export { createDaemon, type Daemon, type DaemonOptions } from './daemon';
export { parseListen, type ListenTarget } from './listen';
export { jsonLogger, silentLogger, type Logger, type LogEntry } from './logging';
export type { DemoInfo } from './context';
