/**
 * Where the templates and static files are: `views/` and `public/` at the package root, found from
 * this file so the same code works from `src/` (tests, ts-jest) and from `dist/` (the built daemon).
 */
import { existsSync } from 'fs';
import { dirname, join } from 'path';

export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'views'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`fix-email-auth: cannot find the package root (views/) above ${from}`);
    dir = parent;
  }
}

export const viewsDir = (): string => join(packageRoot(), 'views');
export const publicDir = (): string => join(packageRoot(), 'public');
