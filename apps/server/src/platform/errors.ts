import { errorStatus, type ErrorCode } from '@tierlink/contract';

/**
 * The one error class of the application. Use cases throw it with a stable code; the HTTP layer
 * turns it into problem+json with the status from the contract's code table.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;

  constructor(code: ErrorCode, detail: string, field?: string) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.field = field;
  }
}

/** A refusal that passes with time (429): the HTTP layer answers it with `Retry-After`. */
export class RetryLaterError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(code: ErrorCode, detail: string, retryAfterSeconds: number) {
    super(code, detail);
    this.name = 'RetryLaterError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

export const notFound = (what = 'resource'): AppError => new AppError('not_found', `The ${what} does not exist or is not visible to you.`);
export const forbidden = (detail = 'Your role does not allow this.'): AppError => new AppError('forbidden', detail);

/** SQLSTATE of a PostgreSQL error, from either driver. */
export function sqlState(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function constraintName(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth += 1) {
    const name = (e as { constraint?: unknown }).constraint;
    if (typeof name === 'string') return name;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Socket errors of a database connection that could not be opened or was cut. */
const unreachableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** What the pg driver throws, without a code, for a connection the server dropped. */
const droppedConnection = /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * True when an error means the database is down or restarting, not that the request was wrong: a
 * refused or cut connection, SQLSTATE class 08, or the server shutting down or starting up (57P01–03).
 */
export function databaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (unreachableCodes.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(code))) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && droppedConnection.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
