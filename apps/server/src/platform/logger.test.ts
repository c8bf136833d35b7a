import { DrizzleQueryError, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { createLogger } from './logger.ts';

/*
 * No log line carries a statement's parameters: a database error is logged with the statement's
 * text and SQLSTATE only. Drizzle's message embeds the parameters, PostgreSQL's quotes values,
 * and PGlite attaches the parameters to its errors.
 */

const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNo';
const email = 'victim@secret.test';

function captured(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger('trace', { write: (line: string) => lines.push(line) }) };
}

function expectNoValues(lines: string[]): void {
  const text = lines.join('\n');
  expect(text).not.toContain('argon2');
  expect(text).not.toContain('c2FsdHNhbHRzYWx0');
  expect(text).not.toContain(email);
}

describe('database errors in the log', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('a failed statement is logged with its text and SQLSTATE, without its parameters or the values PostgreSQL quotes', async () => {
    const failure: unknown = await database.handle.db.execute(sql`select ${hash}::int as n, ${email} as e`).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DrizzleQueryError);
    // What it would have logged: the message holds the hash twice (params, and PostgreSQL's quote).
    expect(String((failure as Error).message)).toContain(hash);
    const { lines, logger } = captured();
    logger.error({ err: failure }, 'unhandled error');
    logger.error(new Error('transaction failed', { cause: failure }));
    logger.warn({ error: failure }, 'retrying');
    expectNoValues(lines);
    const logged = JSON.parse(lines[0] ?? '{}') as { err?: { query?: string; cause?: { sqlState?: string } } };
    expect(logged.err?.query).toBe('select $1::int as n, $2 as e');
    expect(logged.err?.cause?.sqlState).toBe('22P02');
  });

  it('a Drizzle error around a driver error with detail, where and parameters: only names and codes remain', () => {
    const driverError = Object.assign(new Error(`duplicate key value violates unique constraint "users_email_key" ${email}`), {
      code: '23505',
      detail: `Key (email)=(${email}) already exists.`,
      where: `SQL statement "insert ... ${hash}"`,
      constraint: 'users_email_key',
      table: 'users',
      params: [email, hash],
      query: 'insert into users (email, password_hash) values ($1, $2)',
    });
    const wrapped = new DrizzleQueryError('insert into users (email, password_hash) values ($1, $2)', [email, hash], driverError);
    const { lines, logger } = captured();
    logger.error({ err: wrapped }, 'unhandled error');
    expectNoValues(lines);
    const logged = JSON.parse(lines[0] ?? '{}') as { err?: { cause?: Record<string, unknown> } };
    expect(logged.err?.cause).toMatchObject({ sqlState: '23505', constraint: 'users_email_key', table: 'users' });
  });
});
