/**
 * Encoding of request parameters, including cPanel's repeatable (list) parameters.
 *
 * cPanel accepts a list two ways (docs/reference/cpanel-api.md §2): the key repeated (`add=A&add=B`) or numbered
 * (`add=A&add-1=B&add-2=C`). We default to **repeat**, which is what cPanel's own client library
 * sends on HTTP and on the CLI (cPanel::APIClient, `Utils/FormArray.pm`: one `key=value` per item);
 * `numbered` produces the documented `key`, `key-1`, `key-2` form for servers or proxies that keep only
 * the last value of a repeated key. A one-item list is the bare key in both styles; an empty list or an
 * `undefined` value sends nothing.
 */
import { FixEmailAuthError } from '../../errors';
import type { ParamScalar, Params } from './types';

export type ListStyle = 'repeat' | 'numbered';

function scalarText(value: ParamScalar): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** The parameters as ordered `[key, value]` pairs, lists expanded in the chosen style. */
export function paramPairs(params: Params, style: ListStyle = 'repeat'): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      pairs.push([key, scalarText(value as ParamScalar)]);
      continue;
    }
    (value as readonly ParamScalar[]).forEach((item, index) => {
      const name = style === 'numbered' && index > 0 ? `${key}-${index}` : key;
      pairs.push([name, scalarText(item)]);
    });
  }
  return pairs;
}

/**
 * `application/x-www-form-urlencoded` text for a query string or a POST body. Every key and value is
 * percent-encoded with encodeURIComponent, so a space is `%20` and a `+` (common in SPF: `+a +mx`) is
 * `%2B`: unambiguous for any decoder.
 */
export function encodeForm(params: Params, style: ListStyle = 'repeat'): string {
  return paramPairs(params, style)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/**
 * How values are escaped in `key=value` CLI arguments. cPanel's tools decode their arguments like a
 * form (cPanel's own client percent-encodes every CLI value: cPanel::APIClient `Utils/CLIRequest.pm` →
 * `FormArray::to_kv_equals_strings`; cPanel's form decoder turns `+` into a space and `%XX` into bytes,
 * `Cpanel::Encoder::URI::uri_decode_str`). Unescaped, an SPF value `+a +mx` would arrive as ` a  mx`.
 * Both tools are one program, `bin/apitool`, whose help says a value that begins with `@` is the name
 * of a FILE to read the value from (known from cPanel 11.120's help text only): an unescaped `@/etc/shadow`
 * would send that file's content, so `@` is always escaped too.
 * - `form` (default): percent-encode only `%`, `+`, `&`, `;` and `@`, the characters a form decoder
 *   changes or splits on and the file marker; the tool decodes every value back exactly, and ordinary
 *   values stay readable;
 * - `all`: encodeURIComponent every value (which encodes `@` too), exactly like cPanel::APIClient;
 * - `none`: raw values, for a tool that does not decode; a value starting with `@` is then refused.
 */
export type CliEscaping = 'form' | 'all' | 'none';

const FORM_SPECIAL = /[%+&;@]/g;

function escapeCli(text: string, escaping: CliEscaping): string {
  if (escaping === 'all') return encodeURIComponent(text);
  if (escaping === 'form') return text.replace(FORM_SPECIAL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (text.startsWith('@'))
    throw new FixEmailAuthError('BAD_INPUT', `A command-line value may not start with “@” (cPanel's tools would read it as a file name)`, {
      step: 'input',
    });
  return text;
}

/**
 * `key=value` argv items for `whmapi1` / `uapi`. Each pair is ONE argv item (execFile, no shell), so a
 * JSON value with spaces and quotes needs no shell quoting.
 */
export function cliArgs(params: Params, options: { style?: ListStyle; escaping?: CliEscaping } = {}): string[] {
  const escaping = options.escaping ?? 'form';
  return paramPairs(params, options.style ?? 'repeat').map(([key, value]) => `${escapeCli(key, escaping)}=${escapeCli(value, escaping)}`);
}
