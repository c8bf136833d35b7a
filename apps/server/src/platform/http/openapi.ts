import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { STATUS_CODES } from 'node:http';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { errorStatus, type ErrorCode } from '@tierlink/contract';
import { declaredErrorsOf } from './routes.ts';

/*
 * The OpenAPI document says what the server does (found by the INPUT-01 fuzzer, which checks
 * answers against it): a public route needs no credentials (`security: []`, from the same access
 * entry the guard enforces), and every error answer is `application/problem+json`, the content
 * type the server sends, not `application/json`.
 */

export const documentRoute: SwaggerTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const response: unknown = transformed.schema['response'];
  const schema = isObject(response) ? { ...transformed.schema, response: withErrorStatuses(response, errorStatusesOf(input.route)) } : transformed.schema;
  if (input.route.config?.access !== 'public') return { ...transformed, schema };
  return { ...transformed, schema: { ...schema, security: [] } };
};

interface RouteShape {
  method: string | string[];
  config?: { access?: string };
  schema?: { params?: unknown; response?: unknown };
}

/**
 * The error statuses a route answers, with the codes behind each: those every route of its shape
 * gives, plus the ones its `responses(…, errors)` names. The INPUT-01 fuzzer fails on any other.
 */
export function errorStatusesOf(route: RouteShape): Map<number, Set<ErrorCode>> {
  const write = [route.method].flat().some((m) => m !== 'GET' && m !== 'HEAD');
  const guarded = route.config?.access !== 'public';
  const codes: ErrorCode[] = [
    // A query or path text PostgreSQL cannot store, or input the route's schema refuses (any route).
    'validation_failed',
    // An API key that is not valid is refused on every route, public ones too.
    'unauthenticated',
    // The database is unreachable, or the server is shutting down.
    'service_unavailable',
    // More requests in flight than the server takes on (any route; with Retry-After).
    'overloaded',
  ];
  // The guard: role, temporary password, MFA setup, unverified partner.
  if (guarded) codes.push('forbidden', 'mfa_enrollment_required', 'password_change_required', 'partner_not_verified');
  // Every write reads a body (any media type), refuses cookie writes from another origin, and may
  // race another write (a unique violation, a deadlock after the retries).
  if (write) codes.push('malformed_body', 'body_too_large', 'unsupported_media_type', 'csrf_origin_mismatch', 'conflict');
  // A path id names something that may not exist or not be visible.
  if (route.schema?.params !== undefined) codes.push('not_found');
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of [...codes, ...declaredErrorsOf(route.schema?.response)]) {
    const status = errorStatus[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  return byStatus;
}

/** The document's responses: `4xx`/`5xx` (kept for the serializer) become the statuses the route answers, each naming its codes. */
function withErrorStatuses(response: { [key: string]: Json }, statuses: Map<number, Set<ErrorCode>>): { [key: string]: Json } {
  const problem = response['4xx'];
  if (problem === undefined) return response;
  const out: { [key: string]: Json } = {};
  for (const [status, schema] of Object.entries(response)) if (/^[23]/.test(status)) out[status] = schema;
  for (const [status, codes] of [...statuses].sort(([a], [b]) => a - b)) {
    const description = `${STATUS_CODES[status] ?? 'Error'}: ${[...codes].sort().join(', ')}`;
    // A status with a schema of its own keeps it (the compatible API's 429 has another shape).
    const own = response[String(status)] ?? problem;
    out[String(status)] = isObject(own) ? { ...own, description } : own;
  }
  return out;
}

const problemJson = 'application/problem+json';
const compatiblePath = (path: string) => path.startsWith('/v1/') || path.startsWith('/v1.0/') || path.startsWith('/oauth2/');

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const isObject = (value: unknown): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

export const documentObject: SwaggerTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input);
  const paths: unknown = document.paths;
  if (!isObject(paths)) return document;
  for (const [path, operations] of Object.entries(paths)) {
    // The Partner Center–compatible API answers its errors as application/json, in its own shape.
    if (!isObject(operations) || compatiblePath(path)) continue;
    for (const operation of Object.values(operations)) {
      const responses = isObject(operation) ? operation['responses'] : undefined;
      if (!isObject(responses)) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (!isObject(response) || !isObject(response['content'])) continue;
        const schema = response['content']['application/json'];
        if (schema === undefined) continue;
        if (/^[45]/.test(status)) response['content'] = { [problemJson]: schema };
        // A text answer (a CSV export) declares its media type on its schema (`contentMediaType`).
        const media = isObject(schema) && isObject(schema['schema']) ? schema['schema']['contentMediaType'] : undefined;
        if (/^2/.test(status) && typeof media === 'string') response['content'] = { [media]: schema };
      }
    }
  }
  return document;
};
