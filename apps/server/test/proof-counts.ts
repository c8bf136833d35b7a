/*
 * What every proof suite reports for the `npm run test:proof` summary: the 5xx answers its apps
 * gave (counted by the harness from each app's own request metrics when the context closes, plus
 * whatever a suite saw from a server process of its own) and the leaks it found (suites that look
 * for leaks count them; the others report none measured). `proof-setup.ts` writes them per file.
 */

let serverErrors = 0;
let leaks: number | null = null;

/** Adds 5xx answers seen (the harness calls it for every app it closes). */
export function countServerErrors(n: number): void {
  serverErrors += n;
}

/** Adds leaks found: foreign data in an answer, a secret in clear. Calling it (even with 0) marks the suite as one that looks for leaks. */
export function countLeaks(n: number): void {
  leaks = (leaks ?? 0) + n;
}

export function proofCounts(): { serverErrors: number; leaks: number | null } {
  return { serverErrors, leaks };
}
