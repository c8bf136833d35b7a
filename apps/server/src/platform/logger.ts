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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redact, censor: '[redacted]' } });
}

export type { Logger };
