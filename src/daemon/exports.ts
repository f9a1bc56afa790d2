/** "Export any table as CSV and JSON": `?format=csv|json` on a table page downloads its rows. */
import type { Request, Response } from 'express';
import { field } from './context';
import { toCsv, type CsvColumn } from '../csv';
import type { ChangeRow } from './presenters/domain';

/** Sends the download and returns true when the request asked for one. */
export function exportTable<T>(
  req: Request,
  res: Response,
  rows: readonly T[],
  columns: readonly CsvColumn<T>[],
  name: string,
  json: unknown = rows,
): boolean {
  const format = field(req.query, 'format');
  if (format !== 'csv' && format !== 'json') return false;
  const file = `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
  res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
  if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(rows, columns));
  else res.type('application/json; charset=utf-8').send(`${JSON.stringify(json, null, 2)}\n`);
  return true;
}

export const CHANGE_COLUMNS: CsvColumn<ChangeRow>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'time', value: (c) => c.createdAt },
  { header: 'domain', value: (c) => c.domain },
  { header: 'zone', value: (c) => c.zone },
  { header: 'user', value: (c) => c.user },
  { header: 'kind', value: (c) => c.kind },
  { header: 'status', value: (c) => c.status },
  { header: 'by', value: (c) => c.actor },
  { header: 'undoes', value: (c) => c.rollbackOf ?? '' },
  { header: 'removed', value: (c) => c.removed.map((r) => r.line).join(' | ') },
  { header: 'added', value: (c) => c.added.map((r) => r.line).join(' | ') },
  { header: 'error', value: (c) => c.error ?? '' },
];

export function historyExport(req: Request, res: Response, rows: readonly ChangeRow[], name: string): boolean {
  return exportTable(req, res, rows, CHANGE_COLUMNS, name);
}
