import { afterAll, expect } from 'vitest';

/*
 * Every log line the harness's apps write during a test file, and every secret the harness saw
 * (passwords it sent, keys, tokens, seeds and session ids it was given, the sealing key), so that
 * the file can end by searching its own log for them. Module state is per test file: vitest
 * isolates modules per file.
 */

interface Captured {
  /** The test that was running, or where the line came from outside any test. */
  test: string;
  line: string;
}

const captured: Captured[] = [];
const secrets = new Set<string>();

/** Shapes of secrets, whoever made them. */
const patterns: [string, RegExp][] = [
  ['an argon2 hash', /\$argon2(?:id|i|d)\$/],
  ['an API key', /\btl_[A-Za-z0-9_-]{40,}/],
];

/** Values shorter than this are too common to search for (a role, a short name). */
const minimumSecretLength = 8;

/** A log destination for the harness's loggers; each line is kept with the running test's name. */
export function captureLine(line: string): void {
  captured.push({ test: expect.getState().currentTestName ?? '(outside a test: a hook of the file)', line });
}

/** A secret the harness made, sent or was given: it must not appear in any log line. */
export function recordSecret(value: string | null | undefined): void {
  if (typeof value === 'string' && value.length >= minimumSecretLength) secrets.add(value);
}

export interface SecretHit {
  test: string;
  what: string;
  line: string;
}

/** The lines holding a secret: one of the known shapes, or one of the exact values given. */
export function findSecrets(lines: readonly Captured[], known: Iterable<string>): SecretHit[] {
  const values = [...known];
  const hits: SecretHit[] = [];
  for (const { test, line } of lines) {
    const shape = patterns.find(([, pattern]) => pattern.test(line));
    const value = shape === undefined ? values.find((v) => line.includes(v)) : undefined;
    if (shape !== undefined) hits.push({ test, what: shape[0], line });
    else if (value !== undefined) hits.push({ test, what: `a secret the test used (${value.slice(0, 4)}…)`, line });
  }
  return hits;
}

/** Takes the lines captured so far (a test that plants a secret on purpose removes it this way). */
export function takeCaptured(): Captured[] {
  return captured.splice(0);
}

export function recordedSecrets(): ReadonlySet<string> {
  return secrets;
}

/** Fails the file, naming each test whose log carried a secret. */
export function scanCapturedLog(): void {
  const hits = findSecrets(takeCaptured(), secrets);
  if (hits.length === 0) return;
  const list = hits.slice(0, 10).map((h) => `  ${h.test}: ${h.what} in ${h.line.slice(0, 300)}`);
  throw new Error(`Secrets in the log (${hits.length} lines):\n${list.join('\n')}`);
}

// Registered once per file by importing this module (the harness does): runs after its suites.
afterAll(scanCapturedLog);
