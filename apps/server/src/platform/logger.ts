import pino, { type Logger } from 'pino';

/**
 * Secrets never reach the log: request bodies are not logged at all, and these paths are
 * censored wherever they appear in a logged object.
 */
const redact = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.newPassword',
  '*.currentPassword',
];

/** Invitation links carry their token in the query string; it must not reach the request log. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string;
}

/** `destination` is for tests that read the log; by default pino writes to stdout. */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    redact: { paths: redact, censor: '[redacted]' },
    // Replaces Fastify's request serializer (it keeps the instance's own), so URLs are redacted.
    serializers: { req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export type { Logger };
