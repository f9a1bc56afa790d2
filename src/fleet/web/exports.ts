/**
 * `?format=csv|json` on a table page downloads its rows. Large tables (every domain of the fleet)
 * stream in chunks from a keyset walk, so an export of 200 000 rows never sits in memory at once.
 */
import type { Request, Response } from 'express';
import { csvHeader, csvLine, type CsvColumn } from '../../csv';
import { field } from './context';

export type ExportFormat = 'csv' | 'json';

export function exportFormat(req: Request): ExportFormat | null {
  const format = field(req.query, 'format');
  return format === 'csv' || format === 'json' ? format : null;
}

/** Streams the chunks as CSV or as a JSON array; waits for the socket when it is full. */
export async function streamExport<T>(
  res: Response,
  format: ExportFormat,
  name: string,
  columns: readonly CsvColumn<T>[],
  chunks: AsyncIterable<readonly T[]>,
  toJson: (row: T) => unknown = (row) => row,
): Promise<void> {
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}"`);
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  const write = async (text: string) => {
    if (!res.write(text)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
  };
  let first = true;
  await write(format === 'csv' ? `${csvHeader(columns)}\r\n` : '[\n');
  for await (const chunk of chunks) {
    let text = '';
    for (const row of chunk) {
      if (format === 'csv') text += `${csvLine(row, columns)}\r\n`;
      else {
        text += `${first ? '' : ',\n'}${JSON.stringify(toJson(row))}`;
        first = false;
      }
    }
    await write(text);
  }
  res.end(format === 'csv' ? '' : '\n]\n');
}

export async function* once<T>(rows: readonly T[]): AsyncGenerator<readonly T[]> {
  yield rows;
}
