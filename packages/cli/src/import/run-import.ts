import type { ApiClient } from '@tierlink/client';
import { note } from '../output.ts';
import { readRelationshipsFile } from './csv-rows.ts';
import { importChunk } from './import-chunk.ts';
import { startProgress } from './progress.ts';
import { appendRejections, reportPath, startReport } from './report.ts';
import { emptyTotals, loadState, removeState, saveState, statePath, type ImportState, type ImportTotals } from './state.ts';

/** Small enough that one request is a few seconds' work and a kill loses little, large enough to keep requests few. */
export const defaultChunkSize = 500;

export interface ImportRun {
  api: ApiClient;
  server: string;
  file: string;
  /** Rows per request; undefined: the earlier run's, or the default. */
  chunkSize: number | undefined;
  /** Ignore a state file left by an earlier run. */
  restart: boolean;
  /** Asked between chunks: a graceful stop leaves the state at a chunk boundary. */
  stopRequested: () => boolean;
  /** Aborts the request in flight (a second Ctrl-C). */
  signal: AbortSignal;
}

export interface ImportOutcome {
  rows: number;
  rowsDone: number;
  complete: boolean;
  /** Chunks an earlier run had done. */
  resumedChunks: number;
  totals: ImportTotals;
  stateFile: string;
  reportFile: string;
}

/** Imports FILE in chunks, resuming where a run over the same bytes and server stopped. */
export async function runImport(run: ImportRun): Promise<ImportOutcome> {
  const csv = await readRelationshipsFile(run.file);
  const stateFile = statePath(run.file);
  const reportFile = reportPath(run.file);
  let state = run.restart ? null : await loadState(stateFile);
  if (state !== null && (state.sha256 !== csv.sha256 || state.server !== run.server || state.rows !== csv.rows.length)) {
    note(`${stateFile} belongs to another version of the file or another server: starting over.`);
    state = null;
  }
  if (state !== null && run.chunkSize !== undefined && state.chunkSize !== run.chunkSize) note(`Resuming with the earlier run's chunk size, ${state.chunkSize}.`);
  const resumed = state !== null;
  const current: ImportState = state ?? { version: 1, sha256: csv.sha256, server: run.server, chunkSize: run.chunkSize ?? defaultChunkSize, rows: csv.rows.length, doneChunks: [], totals: emptyTotals() };
  await startReport(reportFile, resumed);

  const size = current.chunkSize;
  const chunkCount = Math.ceil(csv.rows.length / size);
  const done = new Set(current.doneChunks);
  const rowsOf = (chunk: number) => Math.min(size, csv.rows.length - chunk * size);
  let rowsDone = [...done].reduce((sum, chunk) => sum + rowsOf(chunk), 0);
  if (resumed) note(`Resuming: ${done.size} of ${chunkCount} chunks (${rowsDone} rows) were done by an earlier run.`);
  const resumedChunks = done.size;

  const progress = startProgress(csv.rows.length, rowsDone);
  try {
    for (let chunk = 0; chunk < chunkCount && !run.stopRequested(); chunk += 1) {
      if (done.has(chunk)) continue;
      const result = await importChunk(run.api, csv.rows.slice(chunk * size, chunk * size + size), run.signal);
      // Rejections first, then the state: a kill in between repeats them, never loses them.
      await appendRejections(reportFile, result.rejections);
      current.totals.created += result.created;
      current.totals.existing += result.existing;
      current.totals.customersCreated += result.customersCreated;
      current.totals.rejected += result.rejections.length;
      done.add(chunk);
      current.doneChunks = [...done].sort((a, b) => a - b);
      await saveState(stateFile, current);
      rowsDone += rowsOf(chunk);
      progress.update(rowsDone, current.totals.rejected);
    }
  } finally {
    progress.stop();
  }
  const complete = done.size === chunkCount;
  if (complete) await removeState(stateFile);
  return { rows: csv.rows.length, rowsDone, complete, resumedChunks, totals: current.totals, stateFile, reportFile };
}
