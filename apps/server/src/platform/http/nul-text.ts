import type { FastifyInstance } from 'fastify';
import { problemOf, sendProblem } from './problem.ts';

/**
 * The path (`admin.displayName`, `lines.0.skuId`) of the first string holding a NUL character, or
 * null. Deeper than any documented body it does not look (validation refuses such a body anyway,
 * and a hostile nesting must not exhaust the stack).
 */
export function nulCharacterAt(value: unknown, at = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (depth > 32) return null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulCharacterAt(item, at === '' ? String(i) : `${at}.${i}`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulCharacterAt(item, at === '' ? key : `${at}.${key}`, depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * PostgreSQL text cannot hold a NUL character: one in any string of a body or query would fail
 * the statement (500). Refused as invalid input, 400 naming the field, after the route guard (so
 * an anonymous caller still gets 401 first).
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const field = nulCharacterAt(request.body) ?? nulCharacterAt(request.query);
    if (field === null) return;
    // A text body (CSV import) is named as a whole.
    const at = field === '' ? 'body' : field;
    return sendProblem(reply, problemOf('validation_failed', request.id, `${at}: must not contain NUL characters`, at, [{ field: at, message: 'must not contain NUL characters' }]));
  });
}
