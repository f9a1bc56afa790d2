/** What the adapter tells the daemon's log; injected so tests stay quiet and can read it. */
export interface JetBackupLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: JetBackupLogger = { debug: () => {}, info: () => {}, warn: () => {} };
