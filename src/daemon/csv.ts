/**
 * CSV export by hand (RFC 4180): fields quoted when they hold a comma, quote or line break, quotes
 * doubled, CRLF line ends. Values come from DNS and users, so a cell that a spreadsheet would run as a
 * formula (starting with = + - @, tab or CR; OWASP "CSV injection") is prefixed with a quote.
 */
export interface CsvColumn<T> {
  header: string;
  value: (row: T) => unknown;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : `${value as string | number | boolean}`;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
