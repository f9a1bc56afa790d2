/**
 * Every URL a page prints is built by one helper from the mount template (docs/daemon-protocol.md),
 * so the same pages work directly (`/domains/example.com`), through the cPanel page relay
 * (`index.live.pl?route=%2Fdomains%2Fexample.com`) and through the WHM CGI.
 */

/** Characters a relay's template may hold besides `{route}`: a relative or same-origin path and query. */
const TEMPLATE = /^(?!\/\/)[A-Za-z0-9_.~/?=&%+-]*\{route\}[A-Za-z0-9_.~/?=&%+-]*$/;

export interface Mount {
  /** The template, or null when routes are used as they are. */
  readonly template: string | null;
  /** The URL of a route (`/…`, with its own query string if any). */
  url: (route: string) => string;
  /**
   * For a GET form: browsers drop the action's query string and send the form's fields instead,
   * so the template's own parameters (e.g. `route=/admin/domains`) travel as hidden fields.
   */
  formGet: (route: string) => { action: string; hidden: Array<[string, string]> };
}

/** A relay's template, or null when it is missing or unsafe (then links are plain routes). */
export function parseMountTemplate(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  if (value.split('{route}').length !== 2 || !TEMPLATE.test(value)) return null;
  return value;
}

export function createMount(template: string | null): Mount {
  const url = (route: string): string => {
    if (!route.startsWith('/')) throw new Error(`a route starts with "/": ${route}`);
    return template === null ? route : template.replace('{route}', encodeURIComponent(route));
  };
  return {
    template,
    url,
    formGet(route) {
      const full = url(route);
      const q = full.indexOf('?');
      if (q < 0) return { action: full, hidden: [] };
      return { action: full.slice(0, q), hidden: [...new URLSearchParams(full.slice(q + 1)).entries()] };
    },
  };
}
