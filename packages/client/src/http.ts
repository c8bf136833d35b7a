import type { ErrorCode, Problem } from '@tierlink/contract';

/** Codes the client itself produces when no problem+json answer arrived. */
export type ClientErrorCode = 'network_error' | 'unexpected_response';
export type ApiErrorCode = ErrorCode | ClientErrorCode;

export interface FieldError {
  field: string;
  message: string;
}

/**
 * Every failed call: the server's problem+json (status, stable code, the field at fault, detail and
 * request id), or a client-side code when the server could not be reached or answered garbage.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
  /** Dotted path of the input at fault (`admin.email`), when the server named one. */
  readonly field: string | undefined;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  /** Every invalid field of a `validation_failed` answer, first one equal to `field`. */
  readonly errors: readonly FieldError[];
  /** Seconds the server asked to wait before retrying (its Retry-After: `overloaded`, `rate_limited`). */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: ApiErrorCode;
    field?: string | undefined;
    detail?: string | undefined;
    requestId?: string | undefined;
    errors?: readonly FieldError[] | undefined;
    retryAfterSeconds?: number | undefined;
  }) {
    super(init.detail ?? init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors ?? (init.field !== undefined && init.detail !== undefined ? [{ field: init.field, message: init.detail }] : []);
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The message for one input, matching the field itself or anything below it (`items.3` for `items.3.partnerDomain`). */
  messageFor(field: string): string | undefined {
    return this.errors.find((e) => e.field === field || e.field.startsWith(`${field}.`))?.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface TransportOptions {
  /** Origin of the server; empty (the default) means the page's own origin. */
  baseUrl?: string;
  /** Automation (CLI, tests) authenticates with an API key instead of the session cookie. */
  apiKey?: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Extra headers on every request (e.g. `origin` from a non-browser caller using a session). */
  headers?: Record<string, string>;
}

export interface RequestInit {
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** A string is sent as text/csv; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
}

export type Transport = <T>(method: Method, path: string, init?: RequestInit) => Promise<T>;

export function createTransport(options: TransportOptions = {}): Transport {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: globalThis.RequestInit) => fetch(input, init));

  return async <T>(method: Method, path: string, init: RequestInit = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...init.headers };
    if (options.apiKey !== undefined) headers['authorization'] = `Bearer ${options.apiKey}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      if (typeof init.body === 'string') {
        headers['content-type'] = 'text/csv';
        body = init.body;
      } else {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.body);
      }
    }
    let response: Response;
    try {
      response = await doFetch(base + path + queryString(init.query), {
        method,
        headers,
        body,
        // The portal authenticates with the HttpOnly session cookie of its own origin.
        credentials: 'same-origin',
        signal: init.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError({ status: 0, code: 'network_error', detail: error instanceof Error ? error.message : String(error) });
    }
    if (response.status === 204) return null as T;
    const text = await response.text();
    // A CSV export answers text, not JSON.
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/csv')) return text as T;
    const json = parseJson(text);
    if (response.ok) {
      if (json === undefined) throw new ApiError({ status: response.status, code: 'unexpected_response', requestId: response.headers.get('request-id') ?? undefined });
      return json as T;
    }
    throw problemError(response, json);
  };
}

function queryString(query: RequestInit['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s === '' ? '' : `?${s}`;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function problemError(response: Response, json: unknown): ApiError {
  const requestId = response.headers.get('request-id') ?? undefined;
  if (!isProblem(json)) return new ApiError({ status: response.status, code: 'unexpected_response', requestId });
  return new ApiError({
    status: json.status,
    code: json.code,
    field: json.field,
    detail: json.detail ?? json.title,
    requestId: json.requestId,
    errors: json.errors,
    retryAfterSeconds: retryAfterOf(response.headers.get('retry-after')),
  });
}

/** Retry-After in seconds (RFC 9110: delay-seconds or an HTTP date); undefined when absent or unreadable. */
function retryAfterOf(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['code'] === 'string' && typeof v['status'] === 'number' && typeof v['requestId'] === 'string';
}
