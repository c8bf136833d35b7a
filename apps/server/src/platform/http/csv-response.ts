import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

/** A cell of an exported row: codes, ids and amounts as the API gives them; null is empty. */
export type CsvCell = string | number | boolean | null;

/**
 * Streams an export as `text/csv` (RFC 4180 quoting and formula escaping by csv-stringify): the header, then each batch
 * as it is read, so memory stays bounded and no row cap applies. `batches` reads lazily; nothing is
 * fetched before the answer starts.
 */
export function sendCsv<Row>(
  reply: FastifyReply,
  filename: string,
  columns: readonly string[],
  batches: AsyncIterable<readonly Row[]>,
  cells: (row: Row) => CsvCell[],
): FastifyReply {
  async function* lines(): AsyncGenerator<string> {
    yield stringify([columns]);
    for await (const rows of batches) {
      // A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR) is prefixed
      // with ': names come from other organizations, and an export is opened in Excel.
      if (rows.length > 0) yield stringify(rows.map((row) => cells(row).map((cell) => cell ?? '')), { escape_formulas: true });
    }
  }
  // Fastify pipes a stream as it is (no serializer); the route's documented answer is a string.
  const stream: unknown = Readable.from(lines());
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(stream as string);
}

/** Rows fetched per statement while exporting. */
export const exportBatch = 1000;

/**
 * Reads a keyset-paged list to its end, one batch per statement: `read` gets the previous batch's
 * last row (null first) and returns up to `exportBatch` rows after it.
 */
export async function* keysetBatches<Row>(read: (after: Row | null) => Promise<Row[]>): AsyncGenerator<Row[]> {
  let after: Row | null = null;
  for (;;) {
    const rows = await read(after);
    if (rows.length === 0) return;
    yield rows.slice(0, exportBatch);
    const last = rows[Math.min(rows.length, exportBatch) - 1];
    if (rows.length < exportBatch || last === undefined) return;
    after = last;
  }
}
