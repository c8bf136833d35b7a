import { isApiError, type ApiClient, type ApiError } from '@tierlink/client';
import type { ImportRow } from './csv-rows.ts';
import type { Rejection } from './report.ts';

export interface ChunkResult {
  created: number;
  existing: number;
  customersCreated: number;
  rejections: Rejection[];
}

interface Fault {
  field: string;
  reason: string;
}

/**
 * Sends one chunk. The API imports a request in one transaction and refuses all of it for one bad
 * row, naming it (`items.N.field`): that row is set aside with the reason and the rest is sent
 * again. A 400 or 413 that names no row splits the batch in halves until the bad rows stand
 * alone. Rows are idempotent (an existing relationship counts as existing), so re-sending is safe.
 * Anything else (auth, network, 5xx) stops the import; the chunk is then not marked done.
 */
export async function importChunk(api: ApiClient, rows: readonly ImportRow[], signal: AbortSignal): Promise<ChunkResult> {
  const result: ChunkResult = { created: 0, existing: 0, customersCreated: 0, rejections: [] };
  const pending: ImportRow[][] = [[...rows]];
  // Each failed call removes a row or splits a batch, each success ends one: 3 per row at most.
  const maxCalls = 3 * rows.length + 1;
  for (let calls = 0; pending.length > 0; calls += 1) {
    if (calls >= maxCalls) throw new Error(`import: ${calls} requests for one chunk of ${rows.length} rows; giving up.`);
    const batch = pending.pop() ?? [];
    try {
      const answer = await api.importRelationships({ body: { items: batch.map(itemOf) }, signal });
      result.created += answer.created;
      result.existing += answer.existing;
      result.customersCreated += answer.customersCreated;
    } catch (error) {
      if (!isApiError(error)) throw error;
      const faults = rowFaults(error, batch.length);
      if (faults.size > 0) {
        for (const [index, fault] of faults) {
          const row = batch[index];
          if (row !== undefined) result.rejections.push({ row, ...fault });
        }
        const rest = batch.filter((_, index) => !faults.has(index));
        if (rest.length > 0) pending.push(rest);
      } else if ((error.status === 400 || error.status === 413) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        // Popped last-in first: the first half goes first, keeping the file's order.
        pending.push(batch.slice(half), batch.slice(0, half));
      } else if (error.status === 400 && batch.length === 1 && batch[0] !== undefined) {
        result.rejections.push({ row: batch[0], field: error.field ?? '', reason: error.detail ?? error.code });
      } else {
        throw error;
      }
    }
  }
  return result;
}

function itemOf(row: ImportRow) {
  return {
    partnerDomain: row.values.partner_domain,
    customerName: row.values.customer_name,
    customerDomain: row.values.customer_domain,
    customerCountry: row.values.customer_country,
  };
}

/** Rows the problem names (`items.3.customerCountry`), by index in the batch, with the reason. */
function rowFaults(error: ApiError, size: number): Map<number, Fault> {
  const faults = new Map<number, Fault>();
  const named = error.errors.length > 0 ? error.errors : error.field !== undefined ? [{ field: error.field, message: error.detail ?? error.code }] : [];
  for (const { field, message } of named) {
    const match = /^items\.(\d+)(?:\.(.+))?$/.exec(field);
    const index = Number(match?.[1]);
    if (match === null || !(index < size) || faults.has(index)) continue;
    // The server counts rows within the request ("Row 3: …"); the report has the file's line instead.
    const reason = message.replace(/^Row \d+: /, '').replace(/^items\.\d+\.\S+: /, '');
    faults.set(index, { field: match[2] ?? '', reason: `${reason} (${error.code})` });
  }
  return faults;
}
