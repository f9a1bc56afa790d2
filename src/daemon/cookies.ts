/** The two cookie operations the demo session needs, by hand (RFC 6265 §4.1/§5.2), with no package. */

/** Cookie header → name/value map; the first occurrence of a name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const raw of header.split(';')) {
    const part = raw.trim();
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  maxAgeSeconds?: number;
  path?: string;
  /** Only over HTTPS (the fleet controller behind TLS); the demo is plain HTTP on loopback. */
  secure?: boolean;
}

const TOKEN = /^[A-Za-z0-9._~-]+$/;

/**
 * A Set-Cookie value: HttpOnly (scripts never see the session), SameSite=Strict (no cross-site
 * request carries it). Secure only when asked: the demo is plain HTTP on loopback.
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name) || (value !== '' && !TOKEN.test(value))) throw new Error('cookie names and values must be URL-safe tokens');
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
