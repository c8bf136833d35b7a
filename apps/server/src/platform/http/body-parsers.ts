import { MIMEType } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { markUndecodable, textFaultAt } from './nul-text.ts';

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Only UTF-8 is read (RFC 8259 allows nothing else for JSON): a body declared in another charset
 * would be decoded as UTF-8 all the same and stored as something the client did not send.
 */
function foreignCharset(request: FastifyRequest): AppError | null {
  let charset: string | null;
  try {
    charset = new MIMEType(request.headers['content-type'] ?? '').params.get('charset');
  } catch {
    charset = 'unreadable';
  }
  if (charset === null || /^utf-?8$/i.test(charset)) return null;
  return new AppError('unsupported_media_type', 'Send the body encoded as UTF-8 (charset=utf-8, or no charset).');
}

/** The text of UTF-8 bytes, or null when they are not UTF-8. */
function utf8(body: Buffer): string | null {
  try {
    return fatalUtf8.decode(body);
  } catch {
    return null;
  }
}

/** Where the lenient decoder put U+FFFD for bytes that were not UTF-8. */
const replaced = (text: string) => (text.includes('\uFFFD') ? 'must be UTF-8 text' : null);

type Done = (error: Error | null, value?: unknown) => void;

/**
 * The one place request bodies become values: JSON (Fastify's own parser, with its prototype
 * poisoning checks) and text (CSV imports), both decoded from bytes here so that bytes which are
 * not UTF-8 are noticed instead of silently becoming U+FFFD. Such a body is still parsed
 * (leniently) so that the refusal can name the field; `refuseUnstorableText` refuses it after the
 * route guard.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done: Done) => {
    const refusal = foreignCharset(request);
    if (refusal !== null) return done(refusal);
    const text = utf8(body);
    if (text !== null) return parseJson(request, text, done);
    return parseJson(request, lenientUtf8.decode(body), (error: Error | null, value?: unknown) => {
      if (error === null) markUndecodable(request, textFaultAt(value, replaced)?.field ?? '');
      done(error, value);
    });
  });

  const parseText = (request: FastifyRequest, body: Buffer, done: Done) => {
    const refusal = foreignCharset(request);
    if (refusal !== null) return done(refusal);
    const text = utf8(body);
    if (text === null) markUndecodable(request, '');
    return done(null, text ?? lenientUtf8.decode(body));
  };
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, parseText);
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, parseText);
}
