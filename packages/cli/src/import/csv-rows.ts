import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { UsageError } from '../errors.ts';

/** The CSV header the import takes (the API's own CSV form uses the same). */
export const csvColumns = ['partner_domain', 'customer_name', 'customer_domain', 'customer_country'] as const;
type CsvColumn = (typeof csvColumns)[number];

export interface ImportRow {
  /** Line of the file where the record ends (1 is the header), for the rejected-rows report. */
  line: number;
  values: Record<CsvColumn, string>;
}

export interface RelationshipsFile {
  rows: ImportRow[];
  /** SHA-256 of the file's bytes: a resumed run must be reading the same file. */
  sha256: string;
}

interface Parsed {
  record: Record<string, string>;
  info: { lines: number };
}

/** Reads the whole file; the API is left to judge each value, the CLI checks only the header. */
export async function readRelationshipsFile(file: string): Promise<RelationshipsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let records: Parsed[];
  try {
    records = parse(bytes, { columns: true, info: true, skip_empty_lines: true, trim: true, bom: true }) as Parsed[];
  } catch (error) {
    throw new UsageError(`${file} is not readable CSV: ${(error as Error).message}`);
  }
  const first = records[0];
  if (first === undefined) throw new UsageError(`${file} has no rows below its header.`);
  const header = Object.keys(first.record);
  const missing = csvColumns.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !(csvColumns as readonly string[]).includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new UsageError(`${file}: the header must be ${csvColumns.join(',')} (missing: ${missing.join(', ') || 'none'}; unknown: ${unknown.join(', ') || 'none'}).`);
  }
  const rows = records.map(({ record, info }) => ({
    line: info.lines,
    values: {
      partner_domain: record['partner_domain'] ?? '',
      customer_name: record['customer_name'] ?? '',
      customer_domain: record['customer_domain'] ?? '',
      customer_country: record['customer_country'] ?? '',
    },
  }));
  return { rows, sha256: createHash('sha256').update(bytes).digest('hex') };
}
