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

/** The header line, without its line end (for output written row by row). */
export function csvHeader<T>(columns: readonly CsvColumn<T>[]): string {
  return columns.map((c) => csvCell(c.header)).join(',');
}

/** One row, without its line end. */
export function csvLine<T>(row: T, columns: readonly CsvColumn<T>[]): string {
  return columns.map((c) => csvCell(c.value(row))).join(',');
}

export function toCsv<T>(rows: readonly T[], columns: readonly CsvColumn<T>[]): string {
  const lines = [csvHeader(columns), ...rows.map((row) => csvLine(row, columns))];
  return `${lines.join('\r\n')}\r\n`;
}
