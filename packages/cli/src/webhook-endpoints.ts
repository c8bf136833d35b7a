import { ApiError, type ApiErrorCode } from '@tierlink/client';
import type { Connection } from './context.ts';
import { version } from './version.ts';

/*
 * The webhook endpoint routes `webhooks listen` uses, called over HTTP with the profile's key.
 * The typed client has no webhook routes yet; failures become the same ApiError the client throws,
 * so they are printed and exit like every other command's.
 */

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
}

interface WithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

async function call<T>(connection: Connection, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${connection.apiKey}`, 'user-agent': `tierlink-cli/${version}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    throw new ApiError({ status: 0, code: 'network_error', detail: error instanceof Error ? error.message : String(error) });
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const problem = (typeof json === 'object' && json !== null ? json : {}) as { code?: ApiErrorCode; detail?: string; field?: string; requestId?: string; errors?: { field: string; message: string }[] };
  throw new ApiError({
    status: response.status,
    code: problem.code ?? 'unexpected_response',
    detail: problem.detail,
    field: problem.field,
    requestId: problem.requestId ?? response.headers.get('request-id') ?? undefined,
    errors: problem.errors,
  });
}

export const listEndpoints = async (c: Connection): Promise<WebhookEndpoint[]> => (await call<{ items: WebhookEndpoint[] }>(c, 'GET', '/api/v1/webhook-endpoints')).items;

export const createEndpoint = (c: Connection, body: { url: string; description: string; eventTypes: string[] }): Promise<WithSecret> =>
  call<WithSecret>(c, 'POST', '/api/v1/webhook-endpoints', body);

export const updateEndpoint = (c: Connection, id: string, body: { url: string; eventTypes: string[]; enabled: boolean }): Promise<WebhookEndpoint> =>
  call<WebhookEndpoint>(c, 'PATCH', `/api/v1/webhook-endpoints/${encodeURIComponent(id)}`, body);

export const rotateSecret = (c: Connection, id: string): Promise<WithSecret> => call<WithSecret>(c, 'POST', `/api/v1/webhook-endpoints/${encodeURIComponent(id)}/rotate-secret`);

export const deleteEndpoint = (c: Connection, id: string): Promise<null> => call<null>(c, 'DELETE', `/api/v1/webhook-endpoints/${encodeURIComponent(id)}`);
