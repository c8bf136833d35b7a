import { access, appendFile, rm } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { csvColumns, type ImportRow } from './csv-rows.ts';

export interface Rejection {
  row: ImportRow;
  /** The API's field (`customerCountry`), when it named one. */
  field: string;
  reason: string;
}

const reportHeader = ['line', ...csvColumns, 'field', 'reason'];

export function reportPath(csvFile: string): string {
  return `${csvFile}.rejected.csv`;
}

/** A fresh run starts the report over; a resumed run appends to it. */
export async function startReport(file: string, resumed: boolean): Promise<void> {
  if (!resumed) await rm(file, { force: true });
}

/**
 * Appended as each chunk finishes, before the chunk is marked done, so a kill can at worst repeat
 * a chunk's rejections in the report, never lose them.
 */
export async function appendRejections(file: string, rejections: readonly Rejection[]): Promise<void> {
  if (rejections.length === 0) return;
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  const rows = rejections.map((r) => [String(r.row.line), ...csvColumns.map((c) => r.row.values[c]), r.field, r.reason]);
  await appendFile(file, stringify(exists ? rows : [reportHeader, ...rows]));
}
