import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isApiUrl, problemOf, sendProblem } from './problem.ts';

/**
 * Why a string cannot be stored as PostgreSQL text, or null: a NUL character (text cannot hold
 * one) or a lone UTF-16 surrogate (it has no UTF-8 encoding; PostgreSQL refuses the statement, or
 * a driver quietly stores U+FFFD instead). `\p{Cs}` with the `u` flag matches only unpaired halves.
 */
export function textFault(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (/\p{Cs}/u.test(value)) return 'must be valid Unicode text (it holds a lone surrogate)';
  return null;
}

export interface TextFaultAt {
  /** `admin.displayName`, `lines.0.skuId`; '' for a string that is the whole value. */
  field: string;
  message: string;
}

const join = (at: string, key: string) => (at === '' ? key : `${at}.${key}`);

/**
 * The first string (value or object key) of a parsed body, query or parameter set for which
 * `fault` has a message, with its path, or null. Deeper than any documented body it does not look
 * (validation refuses such a body anyway, and a hostile nesting must not exhaust the stack).
 */
export function textFaultAt(value: unknown, fault: (text: string) => string | null = textFault, at = '', depth = 0): TextFaultAt | null {
  if (typeof value === 'string') {
    const message = fault(value);
    return message === null ? null : { field: at, message };
  }
  if (depth > 32 || typeof value !== 'object' || value === null) return null;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, i) => [String(i), item]) : Object.entries(value);
  for (const [key, item] of entries) {
    const keyMessage = fault(key);
    if (keyMessage !== null) return { field: join(at, key), message: keyMessage };
    const found = textFaultAt(item, fault, join(at, key), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** Bodies whose bytes were not UTF-8 (marked by the body parsers), and the field that held them. */
const undecodableBodies = new WeakMap<FastifyRequest, string>();

/** Called by a body parser: the body was not UTF-8, `field` held the bytes ('' when no one field can be named). */
export function markUndecodable(request: FastifyRequest, field: string): void {
  undecodableBodies.set(request, field);
}

/** Percent signs that start no escape stay literal, as the query parser keeps them. */
const decodes = (text: string): boolean => {
  try {
    decodeURIComponent(text.replaceAll('+', ' ').replaceAll(/%(?![0-9a-f]{2})/gi, '%25'));
    return true;
  } catch {
    return false;
  }
};

/**
 * The query parameter whose percent-escapes are not UTF-8 (`?name=%ff`), or null. The query parser
 * keeps such a value as its raw escapes, which would then pass for text; it is refused instead.
 */
export function undecodableQueryField(url: string): string | null {
  const start = url.indexOf('?');
  if (start === -1) return null;
  for (const pair of url.slice(start + 1).split('&')) {
    if (decodes(pair)) continue;
    const key = pair.split('=')[0] ?? '';
    return decodes(key) ? decodeURIComponent(key.replaceAll('+', ' ')) : 'query';
  }
  return null;
}

/**
 * Every string of a body, query or path that PostgreSQL text cannot hold — a NUL character, a
 * lone surrogate, bytes or escapes that are not UTF-8 — is refused as invalid input, 400 naming
 * the field, in one place for every route, instead of failing its statement (500) or being
 * stored altered. After the route guard, so an anonymous caller still gets 401 first.
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (!isApiUrl(request.url)) return;
    const undecodable = undecodableBodies.get(request) ?? undecodableQueryField(request.url);
    const fault =
      undecodable !== null
        ? { field: undecodable, message: 'must be UTF-8 text' }
        : (textFaultAt(request.body) ?? textFaultAt(request.query) ?? textFaultAt(request.params));
    if (fault === null) return;
    // A text body (CSV import) is named as a whole.
    const field = fault.field === '' ? 'body' : fault.field;
    return sendProblem(reply, problemOf('validation_failed', request.id, `${field}: ${fault.message}`, field, [{ field, message: fault.message }]));
  });
}
