import type { Method, Transport } from './http.ts';

/** `{ id: string; grantId: string }` for `/customers/{id}/delegated-admin/{grantId}`. */
export type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? { [k in K]: string } & PathParams<Rest> : Record<never, never>;

/** A route of the API, described as OpenAPI names it; the type parameters carry its shapes. */
export interface Endpoint<P extends string, R, B, Q> {
  readonly method: Method;
  readonly path: P;
  /** Phantom fields: never set, only read by the type system. */
  readonly _types?: { response: R; body: B; query: Q };
}

type Empty = Record<never, never>;

/** Every call may carry these: cancellation, and request headers (`Idempotency-Key`, `If-Match`). */
export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** What one call takes: path parameters, then `query` and `body` when the route has them. */
export type Args<E> =
  E extends Endpoint<infer P, unknown, infer B, infer Q>
    ? PathParams<P> & ([Q] extends [undefined] ? Empty : { query?: Q }) & ([B] extends [undefined] ? Empty : { body: B }) & CallOptions
    : never;

export type ResponseOf<E> = E extends Endpoint<string, infer R, unknown, unknown> ? R : never;

/** Calls without required arguments take them optionally. */
export type Call<E> = Empty extends Args<E> ? (args?: Args<E>) => Promise<ResponseOf<E>> : (args: Args<E>) => Promise<ResponseOf<E>>;

export type Client<T extends Record<string, Endpoint<string, unknown, unknown, unknown>>> = { readonly [K in keyof T]: Call<T[K]> };

/** Declares a route: `route<Response, Body, Query>()('POST', '/api/v1/...')`. */
export function route<R, B = undefined, Q = undefined>() {
  return <P extends string>(method: Method, path: P): Endpoint<P, R, B, Q> => ({ method, path });
}

export function bind<T extends Record<string, Endpoint<string, unknown, unknown, unknown>>>(endpoints: T, transport: Transport): Client<T> {
  const client: Record<string, (args?: Record<string, unknown>) => Promise<unknown>> = {};
  for (const [name, endpoint] of Object.entries(endpoints)) {
    client[name] = (args = {}) => {
      const path = endpoint.path.replace(/\{(\w+)\}/g, (_match, key: string) => {
        const value = args[key];
        if (typeof value !== 'string' || value === '') throw new TypeError(`${name}: missing path parameter ${key}`);
        return encodeURIComponent(value);
      });
      return transport(endpoint.method, path, {
        query: args['query'] as Record<string, string | number | boolean | undefined> | undefined,
        body: args['body'],
        signal: args['signal'] as AbortSignal | undefined,
        headers: args['headers'] as Record<string, string> | undefined,
      });
    };
  }
  return client as unknown as Client<T>;
}
