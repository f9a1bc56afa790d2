/**
 * Every route the daemon's express app serves, read from its router (Express 5: `app.router.stack`,
 * nested routers' own stacks), so a test over "every admin route" covers a route added tomorrow
 * without being edited.
 */
import type { Express } from 'express';

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path pattern as written in the route module, e.g. `/changes/:id/undo`. */
  path: string;
  /** Its `:name` parameters in order. */
  params: string[];
}

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function collect(stack: Layer[], out: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        if (typeof path !== 'string') throw new Error(`a route path that is not a string cannot be listed: ${String(path)}`);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (!on || method === '_all') continue;
          out.push({
            method: method.toUpperCase() as RouteEntry['method'],
            path,
            params: [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
          });
        }
      }
    } else if (layer.handle?.stack) {
      collect(layer.handle.stack, out);
    }
  }
}

export function listRoutes(app: Express): RouteEntry[] {
  const router = (app as unknown as { router?: { stack?: Layer[] } }).router;
  if (!router?.stack) throw new Error('the express app has no router stack to list (is this Express 5?)');
  const out: RouteEntry[] = [];
  collect(router.stack, out);
  return out;
}
