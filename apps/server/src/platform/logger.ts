import { DrizzleQueryError } from 'drizzle-orm';
import pino, { type Logger } from 'pino';

/**
 * Secrets never reach the log: request bodies are not logged at all, these paths are censored
 * wherever they appear in a logged object, and errors are logged through `serializeError`.
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

type Fields = Record<string, unknown>;

const sqlStatePattern = /^[0-9A-Z]{5}$/;

/** What a database error may show: names of the schema's objects, never a value. */
const databaseFields = ['severity', 'routine', 'schema', 'table', 'column', 'dataType', 'constraint'] as const;
/** What any other error may show besides its own message and stack. */
const plainFields = ['code', 'statusCode', 'errno', 'syscall'] as const;

const ownString = (error: object, key: string): string | undefined => {
  const value: unknown = (error as Fields)[key];
  return typeof value === 'string' ? value : undefined;
};

/** The frames of a stack without its first lines, which repeat the message. */
const framesOf = (stack: string | undefined): string | undefined => stack?.split('\n').filter((line) => /^\s+at /.test(line)).join('\n');

/**
 * A database error: Drizzle's wrapper (its message ends in `params: …`), or a driver's error with
 * a SQLSTATE, or anything that carries a statement's parameters (PGlite attaches `params`).
 */
function isDatabaseError(error: object): boolean {
  const code = ownString(error, 'code');
  return error instanceof DrizzleQueryError || 'params' in error || (code !== undefined && sqlStatePattern.test(code));
}

/**
 * An error as it is logged. A database error keeps the statement's text, SQLSTATE and the names
 * of the objects concerned, and loses its message and parameters: Drizzle's message embeds the
 * parameters (a new user's password hash among them), PostgreSQL's often quotes a value
 * (`invalid input syntax for type uuid: "…"`, a unique violation's detail). Other errors keep
 * their own message and a few plain fields. Causes are serialized the same way, each on its own
 * (pino's standard serializer would fold the causes' messages and stacks into the outer ones).
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const out: Fields = { type: error.constructor.name };
  if (isDatabaseError(error)) {
    const query = ownString(error, 'query');
    if (query !== undefined) out['query'] = query;
    const code = ownString(error, 'code');
    if (code !== undefined && sqlStatePattern.test(code)) out['sqlState'] = code;
    for (const key of databaseFields) {
      const value = ownString(error, key);
      if (value !== undefined) out[key] = value;
    }
    out['message'] = code === undefined ? 'database query failed' : `database error ${code}`;
    const frames = framesOf(ownString(error, 'stack'));
    if (frames !== undefined) out['stack'] = frames;
  } else {
    const message = ownString(error, 'message');
    if (message !== undefined) out['message'] = message;
    const stack = ownString(error, 'stack');
    if (stack !== undefined) out['stack'] = stack;
    for (const key of plainFields) {
      const value: unknown = (error as Fields)[key];
      if (typeof value === 'string' || typeof value === 'number') out[key] = value;
    }
  }
  const cause: unknown = (error as Fields)['cause'];
  if (cause !== undefined && depth < 4) out['cause'] = serializeError(cause, depth + 1);
  return out;
}

/** Log lines kept in memory while stdout does not take them (a full pipe); beyond that they are dropped. */
const pendingLogLimit = 8 * 1024 * 1024;

/** The runtime's log streams, so that shutdown can give up on one that cannot be written. */
const streams = new WeakMap<Logger, ReturnType<typeof pino.destination>>();

/**
 * `destination` is for tests that read the log. By default pino writes to stdout, asynchronously:
 * a stdout nobody reads (a full pipe) or nobody holds (EPIPE) never blocks or stops the server;
 * lines it cannot take are kept up to a limit, then dropped, and write errors are ignored.
 */
export function createLogger(level: string, destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    redact: { paths: redact, censor: '[redacted]' },
    serializers: {
      // Replaces Fastify's request serializer (it keeps the instance's own), so URLs are redacted.
      req: (req: LoggedRequest) => ({ method: req.method, url: redactUrl(req.url), remoteAddress: req.ip }),
      err: (error: unknown) => serializeError(error),
      error: (error: unknown) => serializeError(error),
    },
  };
  if (destination !== undefined) return pino(options, destination);
  const stdout = pino.destination({ dest: 1, sync: false, minLength: 0, maxLength: pendingLogLimit });
  // pino turns the stream into a no-op on EPIPE; any other write error re-emitted here must not
  // become an uncaught exception either.
  stdout.on('error', () => undefined);
  const logger = pino(options, stdout);
  streams.set(logger, stdout);
  return logger;
}

/**
 * Ends the logger: nothing more is logged, what it still holds is written out for at most
 * `timeoutMs`, and then dropped, so that exiting does not wait on it (pino writes a stream out
 * synchronously on exit, and on a full pipe that never ends).
 */
export async function closeLogger(logger: Logger, timeoutMs: number): Promise<void> {
  const stream = streams.get(logger);
  if (stream === undefined) return;
  logger.level = 'silent';
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      stream.end();
    } catch {
      // Already closed.
      clearTimeout(timer);
      resolve();
    }
  });
  stream.destroy();
}

export type { Logger };
