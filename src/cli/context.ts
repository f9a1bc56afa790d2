/** Shared set-up for CLI commands: the configuration and, for live commands, the services. */
import { loadConfig, parseConfig, type Config } from '../config';
import { createServices, type Services } from '../services';
import type { CliIO } from './io';

/**
 * The configuration for a command. Offline commands pass `fallback` so they work on a machine without
 * a config file (e.g. `diagnose --zone-file` with `--auth-id`); `authId` from a flag wins.
 */
export function cliConfig(io: CliIO, overrides: { authId?: string; offline?: boolean } = {}): Config {
  const fallback = overrides.offline ? { provider: { authId: overrides.authId ?? '' } } : undefined;
  const env = overrides.authId ? { ...io.env, FIX_EMAIL_AUTH_AUTH_ID: overrides.authId } : io.env;
  if (overrides.offline && !overrides.authId) {
    try {
      return loadConfig(env);
    } catch {
      return parseConfig({ provider: { authId: '' } }, '--auth-id (no configuration file found; pass --auth-id)');
    }
  }
  return loadConfig(env, fallback);
}

/** Run `fn` with the live services and always close them. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = createServices(config);
  try {
    return await fn(services);
  } finally {
    services.close();
  }
}
