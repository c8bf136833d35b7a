import { randomInt } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * `PROOF_PROFILE=long` raises iteration counts (nightly); anything else is the CI profile, which
 * keeps the crash files together within a few minutes on a 2-core machine.
 */
export const proofProfile: 'ci' | 'long' = process.env['PROOF_PROFILE'] === 'long' ? 'long' : 'ci';

export function iterations(ci: number, long: number): number {
  return proofProfile === 'long' ? long : ci;
}

/** The seed of this run's random choices: `PROOF_SEED` replays a failing run. */
export const proofSeed: number = process.env['PROOF_SEED'] !== undefined ? Number(process.env['PROOF_SEED']) : randomInt(1, 2 ** 31);

/** A small deterministic generator (mulberry32): the same seed makes the same operation mix. */
export function seededRandom(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/**
 * Prints what a suite measured and, when `PROOF_FIGURES` names a file (the proof runner sets it),
 * appends it there as one JSON line so the runner can print the figures with its summary.
 */
export function reportFigures(suite: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ suite, seed: proofSeed, profile: proofProfile, ...figures });
  process.stdout.write(`proof figures: ${line}\n`);
  const file = process.env['PROOF_FIGURES'];
  if (file !== undefined && file !== '') appendFileSync(file, `${line}\n`);
}
