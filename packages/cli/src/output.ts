import * as util from 'node:util';
import type { ApiError } from '@tierlink/client';
import { stringify } from 'csv-stringify/sync';

type Style = 'bold' | 'dim' | 'red' | 'yellow' | 'green';

/** Colour only for a terminal, and never when NO_COLOR is set to anything (no-color.org). */
export function colourEnabled(stream: NodeJS.WriteStream): boolean {
  const noColour = process.env['NO_COLOR'];
  return stream.isTTY === true && (noColour === undefined || noColour === '');
}

/** util.styleText arrived in Node 20.12; on an older 20 the text stays plain. */
export function paint(stream: NodeJS.WriteStream, style: Style, text: string): string {
  const styleText = (util as Partial<typeof util>).styleText;
  return colourEnabled(stream) && styleText !== undefined ? styleText(style, text) : text;
}

export function out(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** `--json`: the API's own answer, unchanged. */
export function printJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

export interface Column<T> {
  header: string;
  value: (item: T) => string;
}

/**
 * Columns aligned with spaces, header first; the last column is not padded. `minWidths` keeps
 * tables printed one after another (audit tail --follow) in the same columns.
 */
export function formatTable<T>(items: readonly T[], columns: readonly Column<T>[], minWidths: readonly number[] = []): string {
  const cells = items.map((item) => columns.map((c) => c.value(item).replace(/\s+/g, ' ')));
  const widths = columnWidths(cells, columns, minWidths);
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell))))
      .join('  ')
      .trimEnd();
  const header = paint(process.stdout, 'bold', line(columns.map((c) => c.header.toUpperCase())));
  return [header, ...cells.map(line)].join('\n');
}

export function printTable<T>(items: readonly T[], columns: readonly Column<T>[]): void {
  out(formatTable(items, columns));
}

export function printCsv<T>(items: readonly T[], columns: readonly Column<T>[]): void {
  process.stdout.write(stringify([columns.map((c) => c.header), ...items.map((item) => columns.map((c) => c.value(item)))]));
}

/** `label: value` lines with the labels aligned. */
export function printFields(fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) out(`${paint(process.stdout, 'bold', `${label}:`.padEnd(width))} ${value}`);
}

function columnWidths<T>(cells: readonly string[][], columns: readonly Column<T>[], minWidths: readonly number[]): number[] {
  return columns.map((c, i) => Math.max(minWidths[i] ?? 0, c.header.length, ...cells.map((row) => visibleLength(row[i] ?? ''))));
}

function visibleLength(text: string): number {
  return [...util.stripVTControlCharacters(text)].length;
}

/** The problem as the API sent it: code, detail, field and request id, for a person and a log. */
export function printProblem(error: ApiError, hint?: string): void {
  const lines = [`${paint(process.stderr, 'red', 'error:')} ${error.code}${error.status > 0 ? ` (HTTP ${error.status})` : ''}`];
  if (error.detail !== undefined) lines.push(`  detail: ${error.detail}`);
  if (error.field !== undefined && !(error.detail ?? '').startsWith(error.field)) lines.push(`  field: ${error.field}`);
  // The first of `errors` is the field and detail above; the others follow.
  for (const e of error.errors.slice(1)) lines.push(`  ${e.field}: ${e.message}`);
  if (error.requestId !== undefined) lines.push(`  request id: ${error.requestId}`);
  if (hint !== undefined) lines.push(hint);
  note(lines.join('\n'));
}

/** Money in minor units, shown in its currency's own precision (cents for USD, none for JPY). */
export function money(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

/** Timestamps in UTC to the second: short enough for a table, unambiguous in a log. */
export function when(timestamp: string | null): string {
  if (timestamp === null) return '-';
  return timestamp.replace('T', ' ').replace(/\.\d+/, '').replace(/(Z|\+00:00)$/, 'Z');
}
