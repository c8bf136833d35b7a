import { readFile, rename, rm, writeFile } from 'node:fs/promises';

export interface ImportTotals {
  created: number;
  existing: number;
  customersCreated: number;
  rejected: number;
}

/** What a run leaves beside the CSV (`FILE.tierlink-progress.json`) so that the next one resumes. */
export interface ImportState {
  version: 1;
  sha256: string;
  server: string;
  chunkSize: number;
  rows: number;
  /** Indexes of the chunks that are done: imported, or their bad rows written to the report. */
  doneChunks: number[];
  totals: ImportTotals;
}

export const emptyTotals = (): ImportTotals => ({ created: 0, existing: 0, customersCreated: 0, rejected: 0 });

export function statePath(csvFile: string): string {
  return `${csvFile}.tierlink-progress.json`;
}

export async function loadState(file: string): Promise<ImportState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const state = JSON.parse(text) as Partial<ImportState>;
    const valid = state.version === 1 && typeof state.sha256 === 'string' && typeof state.chunkSize === 'number' && Array.isArray(state.doneChunks) && typeof state.totals === 'object';
    return valid ? (state as ImportState) : null;
  } catch {
    // A state file cut short is worth nothing; the rows are idempotent, so starting over is safe.
    return null;
  }
}

/** Written beside itself and renamed: a kill at any moment leaves the old state or the new one. */
export async function saveState(file: string, state: ImportState): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state)}\n`);
  await rename(temporary, file);
}

export async function removeState(file: string): Promise<void> {
  await rm(file, { force: true });
}
