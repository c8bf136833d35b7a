/** Exit codes: the contract with scripts that call `tierlink`. */
export const exitCodes = { ok: 0, apiError: 1, usage: 2, interrupted: 130 } as const;

/**
 * Wrong invocation or local input the API never saw (a missing profile, an unreadable file, a bad
 * URL): exit 2, like commander's own usage errors.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Stopped by the user (SIGINT); exit 130 as shells report it. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}
