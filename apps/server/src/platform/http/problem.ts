import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { errorStatus, type ErrorCode, type Problem } from '@tierlink/contract';
import { AppError, constraintName, databaseUnavailable, RetryLaterError, sqlState } from '../errors.ts';

const titles: Partial<Record<ErrorCode, string>> = {
  validation_failed: 'The request is not valid',
  malformed_body: 'The request body could not be read',
  unauthenticated: 'Sign-in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  internal_error: 'Something went wrong on our side',
};

/** Paths of the API: the native one, and the Partner Center–compatible one with its token endpoint. */
export const isApiUrl = (url: string): boolean => url.startsWith('/api/') || url.startsWith('/v1/') || url.startsWith('/v1.0/') || url.startsWith('/oauth2/');

export function problemOf(code: ErrorCode, requestId: string, detail?: string, field?: string, errors?: Problem['errors']): Problem {
  return {
    type: `https://tierlink.dev/problems/${code.replaceAll('_', '-')}`,
    title: titles[code] ?? code.replaceAll('_', ' '),
    status: errorStatus[code],
    ...(detail !== undefined ? { detail } : {}),
    code,
    requestId,
    ...(field !== undefined ? { field } : {}),
    ...(errors !== undefined ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Maps every error to problem+json; nothing but a real fault becomes a 500. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const id = request.id;
  if (error instanceof AppError) {
    if (error instanceof RetryLaterError) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(reply, problemOf(error.code, id, error.message, error.field));
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation
      .flatMap(unwrapUnion)
      .map((v) => ({ field: fieldOf(v.instancePath, v.params, error.validationContext), message: v.message ?? 'invalid' }));
    const first = errors[0];
    return sendProblem(
      reply,
      problemOf('validation_failed', id, first ? `${first.field}: ${first.message}` : 'invalid request', first?.field, errors),
    );
  }
  if ((error as FastifyError).code === 'FST_ERR_RESPONSE_SERIALIZATION' && isResponseSerializationError(error)) {
    request.log.error({ err: error }, 'response did not match its schema');
    return sendProblem(reply, problemOf('internal_error', id));
  }
  const fe = error as FastifyError;
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendProblem(reply, problemOf('body_too_large', id, 'The request body is larger than the limit.'));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendProblem(reply, problemOf('unsupported_media_type', id, 'Send application/json.'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendProblem(reply, problemOf('malformed_body', id, 'The body is not valid JSON.'));
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return sendProblem(reply, problemOf('rate_limited', id, 'Too many requests; retry later.'));
    default:
      break;
  }
  if (fe.statusCode === 429) {
    return sendProblem(reply, problemOf('rate_limited', id, 'Too many requests; retry later.'));
  }
  // JSON.parse errors and secure-json-parse's prototype-poisoning refusal both arrive as 400s.
  if (fe.statusCode === 400 || error instanceof SyntaxError) {
    return sendProblem(reply, problemOf('malformed_body', id, 'The body could not be parsed.'));
  }
  if (fe.statusCode === 415) {
    return sendProblem(reply, problemOf('unsupported_media_type', id, 'Unsupported content type.'));
  }
  if (sqlState(error) === '23505') {
    request.log.warn({ constraint: constraintName(error) }, 'unique violation surfaced as conflict');
    return sendProblem(reply, problemOf('conflict', id, 'The change conflicts with another one; reload and retry.'));
  }
  if (sqlState(error) === '40001' || sqlState(error) === '40P01') {
    return sendProblem(reply, problemOf('conflict', id, 'The change raced with another one; retry.'));
  }
  if (databaseUnavailable(error)) {
    // Not a fault of the request: a client retries it once the database is back.
    request.log.warn({ err: error }, 'database unavailable');
    return sendProblem(reply, problemOf('service_unavailable', id, 'The database is not reachable; retry shortly.'));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, problemOf('internal_error', id));
}

interface ValidationEntry {
  instancePath: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

interface BranchIssue {
  code: string;
  path: PropertyKey[];
  message: string;
}

const isBranchIssue = (value: unknown): value is BranchIssue =>
  typeof value === 'object' && value !== null && Array.isArray((value as { path?: unknown }).path) && typeof (value as { code?: unknown }).code === 'string';

/**
 * A union that fails as a whole (the import takes a JSON object or CSV text) carries the issues of
 * every branch; the branch whose type the input had names the field really at fault.
 */
function unwrapUnion(v: ValidationEntry): ValidationEntry[] {
  const branches = v.params['errors'];
  if (!Array.isArray(branches)) return [v];
  const meant = branches.find(
    (issues: unknown): issues is BranchIssue[] =>
      Array.isArray(issues) && issues.length > 0 && issues.every(isBranchIssue) && !issues.some((i) => i.code === 'invalid_type' && i.path.length === 0),
  );
  if (meant === undefined) return [v];
  const base = v.instancePath.replace(/\/$/, '');
  return meant.map((issue) => ({ instancePath: `${base}/${issue.path.map(String).join('/')}`, params: { ...issue }, message: issue.message }));
}

/** "admin.email" for a nested field; the offending key for an unknown one; else where it was. */
function fieldOf(instancePath: string, params: Record<string, unknown>, context: string | undefined): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.');
  const keys = params['keys'];
  const unknownKey = Array.isArray(keys) && typeof keys[0] === 'string' ? keys[0] : undefined;
  if (unknownKey !== undefined) return path === '' ? unknownKey : `${path}.${unknownKey}`;
  return path === '' ? (context ?? 'body') : path;
}

/**
 * Fastify's refusals before a route is found (percent-escapes that are not UTF-8, a path parameter
 * longer than the router takes). Their request runs no hooks, so the headers every answer carries
 * are set here.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.header('Request-Id', request.id).header('Cache-Control', 'no-store');
  const problem = routerProblemOf(error, request.id);
  if (problem !== null) return sendProblem(reply, problem);
  return errorHandler(error, request, reply);
}

/** The router's own refusals (see frameworkErrorHandler) as problems; null for any other error. */
export function routerProblemOf(error: FastifyError, requestId: string): Problem | null {
  const refuse = (message: string) => problemOf('validation_failed', requestId, `path: ${message}`, 'path', [{ field: 'path', message }]);
  if (error.code === 'FST_ERR_BAD_URL') return refuse('must be percent-encoded UTF-8');
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return refuse('a path segment is too long');
  return null;
}

/**
 * Requests Node's HTTP parser refuses before any request object exists: a request line and
 * headers over 16 KiB (a long query string), a request not received in time, or something that is
 * not HTTP. They are answered as problem+json like every other refusal, under a request id made
 * here, and the connection is closed (its state is unknown).
 */
export function clientErrorHandler(this: { log: { debug(fields: object, message: string): void } }, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const id = randomUUID();
  this.log.debug({ err: error, requestId: id }, 'unreadable request refused');
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const problem =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problemOf('validation_failed', id, 'The request line and headers are larger than 16 KiB (a query string that long is refused).')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problemOf('malformed_body', id, 'The request was not received in time.')
        : problemOf('validation_failed', id, 'The request is not valid HTTP.');
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Request-Id: ${id}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
  );
}
