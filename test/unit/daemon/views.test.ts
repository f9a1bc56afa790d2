/**
 * Everything from DNS or users is escaped in the views: templates print data only with `<%= %>`.
 * `<%-` (raw output) is allowed for include() alone, whose output is itself an escaped template.
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';

const VIEWS = join(__dirname, '..', '..', '..', 'views');

function templates(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? templates(full) : name.endsWith('.ejs') ? [full] : [];
  });
}

describe('views', () => {
  const files = templates(VIEWS);

  it('when the views are read, then there are templates to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(VIEWS.length + 1), f]))('when %s prints raw output, then it is only an include', (_name, file) => {
    const raw = [...readFileSync(file, 'utf8').matchAll(/<%-([\s\S]*?)%>/g)].map((m) => m[1]!.trim());
    for (const expression of raw) expect(expression).toMatch(/^include\('[^']+'(, \{[^}]*\})?\)$/);
  });

  it.each(files.map((f) => [f.slice(VIEWS.length + 1), f]))(
    'when %s has inline script or style, then the CSP would block it, so there is none',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text).not.toMatch(/\son[a-z]+=/i);
      expect(text).not.toMatch(/<style/);
      expect(text).not.toMatch(/\sstyle="/);
    },
  );
});
