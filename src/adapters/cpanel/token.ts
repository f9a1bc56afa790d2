/**
 * The WHM API token lives in its own root-only file (config `cpanel.tokenFile`), never in the config.
 * A token readable by group or others is refused rather than used: anyone who can read it is root on
 * the server as far as WHM is concerned.
 */
import { readFileSync, statSync } from 'fs';
import { FixEmailAuthError } from '../../errors';

const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

function configError(message: string, cause?: unknown): FixEmailAuthError {
  return new FixEmailAuthError('CONFIG_INVALID', message, { step: 'config', cause });
}

export function loadApiToken(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (err) {
    throw configError(`Cannot read the API token file ${path} (cpanel.tokenFile): ${(err as Error).message}`, err);
  }
  if (!stats.isFile()) throw configError(`The API token file ${path} (cpanel.tokenFile) is not a regular file`);
  const loose = stats.mode & 0o077;
  if (loose !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
    throw configError(`Refusing the API token file ${path}: it is accessible by group/other (mode ${mode}); run: chmod 600 ${path}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(`Cannot read the API token file ${path} (cpanel.tokenFile): ${(err as Error).message}`, err);
  }
  const token = text.trim();
  if (!token) throw configError(`The API token file ${path} is empty`);
  // Also keeps anything that could break the Authorization header (spaces, colons, new lines) out.
  if (!TOKEN.test(token)) throw configError(`The API token file ${path} must hold only the token (letters and digits), nothing else`);
  return token;
}
