import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * Reads a CSV upload with a header row into objects checked by `schema`. `columns` maps CSV
 * headers to the schema's keys; an unknown header, a bad row or too many rows is a 400 that names
 * the row and field (`items.<row>.<field>`).
 */
export function parseCsvRows<T extends z.ZodType>(text: string, columns: Record<string, string>, schema: T, maxRows: number): z.output<T>[] {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 4096 });
  } catch (error) {
    throw new AppError('validation_failed', `The CSV could not be read: ${(error as Error).message}`, 'body');
  }
  if (records.length === 0) throw new AppError('validation_failed', 'The CSV has no rows.', 'body');
  if (records.length > maxRows) throw new AppError('validation_failed', `Import at most ${maxRows} rows at once.`, 'body');
  return records.map((record, index) => {
    const mapped: Record<string, string> = {};
    for (const [column, value] of Object.entries(record)) {
      const key = columns[column];
      if (key === undefined) throw new AppError('validation_failed', `Unknown column "${column}".`, column);
      mapped[key] = value;
    }
    const parsed = schema.safeParse(mapped);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('validation_failed', `Row ${index + 1}: ${issue?.path.join('.')}: ${issue?.message}`, `items.${index}.${issue?.path.join('.')}`);
    }
    return parsed.data;
  });
}
