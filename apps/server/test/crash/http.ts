import { Secret, TOTP } from 'otpauth';
import { countServerErrors } from '../proof-counts.ts';

export interface HttpReply<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string;
  headers: Headers;
  raw: string;
}

/** A request that got no answer at all: the connection failed or was cut. */
export class NoAnswer extends Error {
  override readonly name = 'NoAnswer';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Talks to a server over real HTTP like the portal (session cookie + Origin) or automation (API
 * key). A cut connection throws `NoAnswer`; any HTTP answer, 5xx included, is returned.
 */
export class HttpClient {
  cookie: string | null = null;
  apiKey: string | null = null;

  constructor(public base: string) {}

  withApiKey(secret: string): HttpClient {
    const client = new HttpClient(this.base);
    client.apiKey = secret;
    return client;
  }

  async request<T = Record<string, unknown>>(method: Method, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpReply<T>> {
    const all: Record<string, string> = { ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    if (this.apiKey !== null) all['authorization'] = `Bearer ${this.apiKey}`;
    else {
      if (this.cookie !== null) all['cookie'] = this.cookie;
      if (method !== 'GET') all['origin'] = new URL(this.base).origin;
    }
    let response: Response;
    let raw: string;
    try {
      response = await fetch(`${this.base}${url}`, { method, headers: all, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      raw = await response.text();
    } catch (error) {
      throw new NoAnswer(`${method} ${url}: ${error instanceof Error ? `${error.message} ${String((error as { cause?: unknown }).cause ?? '')}` : String(error)}`);
    }
    // The test:proof summary counts every 5xx a suite saw (a crash suite expects some: 503 during an outage).
    if (response.status >= 500) countServerErrors(1);
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('tierlink_session='));
    if (setCookie !== undefined) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair === 'tierlink_session=' ? null : pair;
    }
    let parsed: unknown = null;
    try {
      parsed = raw === '' ? null : JSON.parse(raw);
    } catch {
      parsed = null;
    }
    return { status: response.status, body: parsed as T, contentType: response.headers.get('content-type') ?? '', headers: response.headers, raw };
  }

  get<T = Record<string, unknown>>(url: string): Promise<HttpReply<T>> {
    return this.request<T>('GET', url);
  }
  post<T = Record<string, unknown>>(url: string, body: unknown = {}, headers?: Record<string, string>): Promise<HttpReply<T>> {
    return this.request<T>('POST', url, body, headers);
  }
  put<T = Record<string, unknown>>(url: string, body: unknown): Promise<HttpReply<T>> {
    return this.request<T>('PUT', url, body);
  }
  patch<T = Record<string, unknown>>(url: string, body: unknown, headers?: Record<string, string>): Promise<HttpReply<T>> {
    return this.request<T>('PATCH', url, body, headers);
  }
  delete<T = Record<string, unknown>>(url: string): Promise<HttpReply<T>> {
    return this.request<T>('DELETE', url);
  }
}

export function ok<T>(reply: HttpReply<T>, status = 200): T {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.raw}`);
  return reply.body;
}

/** The current code of an authenticator seed, as a person would type it (the server runs on real time). */
export function currentTotp(seed: string, at = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(seed), digits: 6, period: 30 }).generate({ timestamp: at });
}

/**
 * Signs a partner or operator user in for the first time and sets MFA up, as the portal would; the
 * session is MFA-verified afterwards. Returns the client and the authenticator seed.
 */
export async function signInWithNewMfa(base: string, email: string, password: string): Promise<{ client: HttpClient; seed: string }> {
  const client = new HttpClient(base);
  ok(await client.post('/api/v1/sessions', { email, password }), 201);
  const started = ok(await client.post<{ secret: string }>('/api/v1/me/mfa/totp'), 201);
  ok(await client.post('/api/v1/me/mfa/totp/confirm', { code: currentTotp(started.secret) }));
  return { client, seed: started.secret };
}
