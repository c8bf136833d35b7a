import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, queryRows, type TestContext } from '../../test/harness.ts';
import type { Actor } from './actor.ts';
import { newId } from './ids.ts';
import { runInTransaction, runOneStatement } from './unit-of-work.ts';

describe('queued audit events and outbox messages', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(() => t.close());

  const count = async (topic: string) => {
    const [row] = await queryRows<{ audits: number; messages: number }>(
      t,
      sql`select (select count(*)::int from audit_events where action = ${topic}) as audits, (select count(*)::int from outbox_messages where topic = ${topic}) as messages`,
    );
    return row;
  };
  const work = (topic: string, audits: number, messages: number) => async (ctx: Parameters<Parameters<typeof runInTransaction>[3]>[0]) => {
    for (let i = 0; i < audits; i += 1) await ctx.audit.record({ action: topic, target: { type: 'test', id: newId() }, organizationIds: [] });
    for (let i = 0; i < messages; i += 1) await ctx.outbox.event(topic, { i });
  };

  it('are all written when the work returns, also more than one statement holds', async () => {
    await runInTransaction(t.uow, null, 'test', work('sweep.many', 2500, 3));
    expect(await count('sweep.many')).toEqual({ audits: 2500, messages: 3 });
    await runInTransaction(t.uow, null, 'test', work('outbox.only', 0, 2));
    expect(await count('outbox.only')).toEqual({ audits: 0, messages: 2 });
  });

  it('are not written when the work throws', async () => {
    const failing = work('rolled.back', 2, 2);
    await expect(
      runInTransaction(t.uow, null, 'test', async (ctx) => {
        await failing(ctx);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await count('rolled.back')).toEqual({ audits: 0, messages: 0 });
  });

  it('a one-statement write may stamp its record but not queue one apart', async () => {
    const actor: Actor = {
      type: 'user', userId: null, apiKeyId: null, sessionId: null, displayName: 'Test', email: null, organizationId: newId(),
      organizationKind: 'operator', roles: [], approvedPrograms: [], mustChangePassword: false, mfaEnrolled: false,
    };
    const stamped = await runOneStatement(t.uow, actor, 'req-1', async (ctx) => ctx.audit.stamp(2));
    expect(stamped).toMatchObject({ actorOrganizationId: actor.organizationId, requestId: 'req-1' });
    expect(new Set([...stamped.ids, ...stamped.eventIds]).size).toBe(4);
    await expect(runOneStatement(t.uow, actor, null, (ctx) => ctx.audit.record({ action: 'one.statement', target: { type: 'test', id: newId() }, organizationIds: [] }))).rejects.toThrow(/one-statement/);
    await expect(runOneStatement(t.uow, actor, null, (ctx) => ctx.outbox.event('one.statement', {}))).rejects.toThrow(/one-statement/);
    expect(await count('one.statement')).toEqual({ audits: 0, messages: 0 });
  });
});
