import { bind, type Client } from './endpoint.ts';
import { createTransport, type TransportOptions } from './http.ts';
import { endpoints } from './routes.ts';

export { ApiError, isApiError, type ApiErrorCode, type ClientErrorCode, type FieldError, type TransportOptions } from './http.ts';
export type { Args, Call, CallOptions, Endpoint, PathParams, ResponseOf } from './endpoint.ts';
export * from './routes.ts';

export type ApiClient = Client<typeof endpoints>;

/**
 * The typed API client: one function per route, shapes inferred from the contract's zod schemas,
 * failures thrown as ApiError. In the portal it uses the session cookie of the page's origin.
 */
export function createApiClient(options: TransportOptions = {}): ApiClient {
  return bind(endpoints, createTransport(options));
}

/** `GET /api/v1/me`-style names of every route the client covers, as OpenAPI writes them. */
export function clientRoutes(): string[] {
  return Object.values(endpoints).map((e) => `${e.method} ${e.path}`);
}
