import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { proofCounts } from './proof-counts.ts';

// Once per test file, after its own hooks: its 5xx and leak counts, for the test:proof summary.
afterAll(() => {
  const out = process.env['PROOF_FIGURES'];
  if (out === undefined || out === '') return;
  const filepath = expect.getState().testPath ?? 'unknown';
  const counts = proofCounts();
  appendFileSync(out, `${JSON.stringify({ counts: true, file: path.relative(path.resolve(import.meta.dirname, '..'), filepath), ...counts })}\n`);
});
