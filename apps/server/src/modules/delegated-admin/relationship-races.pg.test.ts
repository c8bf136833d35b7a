import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInTransaction } from '../../platform/unit-of-work.ts';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  relate,
  type Client,
  type OrgHandle,
  type Reply,
  type TestContext,
} from '../../../test/harness.ts';
import { sweepDelegatedAdmin } from './index.ts';

interface Answer {
  state?: string;
  code?: string;
  endsAt?: string | null;
}

const base = '/api/v1/delegated-admin-relationships';
const rounds = process.env['PROOF_PROFILE'] === 'long' ? 20 : 5;

/** Outcomes as `status code` strings, sorted, so that "exactly one wins" reads as one list. */
const outcomes = (replies: Reply<Answer>[]) => replies.map((r) => `${r.status}${r.status >= 400 ? ` ${r.body.code ?? ''}` : ''}`).sort();

// Concurrent transitions of one relationship on PostgreSQL: the row lock orders them, exactly one
// wins, the other answers 409 with a stable code, never a 5xx.
describe('delegated admin relationship races on PostgreSQL', () => {
  let t: TestContext;
  let operator: Client;
  let reseller: OrgHandle;
  let customer: OrgHandle;
  let approver: Client;
  /** The reseller's admin agent through an API key, which outlives the clock's jumps (a session would idle out). */
  let agent: Client;
  let names = 0;

  beforeAll(async () => {
    t = await createTestContext({ poolSize: 10 });
    operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Race Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Race Customer');
    await relate(reseller, customer);
    const key = expectOk(await customer.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Approver', roles: ['delegated_admin_approver'] }), 201);
    approver = t.client();
    approver.apiKey = key.secret;
    const agentKey = expectOk(await reseller.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'Agent', roles: ['admin_agent'] }), 201);
    agent = t.client();
    agent.apiKey = agentKey.secret;
  });
  afterAll(() => t.close());

  async function pending(roles: string[] = ['helpdesk'], duration = 'P60D'): Promise<string> {
    const draft = expectOk(await agent.post<{ id: string }>(base, { displayName: `Race ${(names += 1)}`, customerId: customer.id, roles, duration }), 201);
    expectOk(await agent.post(`${base}/${draft.id}/requests`, { action: 'lock_for_approval' }));
    return draft.id;
  }
  const act = (client: Client, id: string, action: string) => client.post<Answer>(`${base}/${id}/requests`, { action });

  it('two approvals: one 200, one 409', async () => {
    for (let round = 0; round < rounds; round += 1) {
      const id = await pending();
      const replies = await Promise.all([act(customer.admin, id, 'approve'), act(approver, id, 'approve')]);
      expect(outcomes(replies)).toEqual(['200', '409 relationship_transition_invalid']);
      expect(expectOk(await customer.admin.get<Answer>(`${base}/${id}`)).state).toBe('active');
    }
  });

  it('approve vs reject: exactly one decides', async () => {
    for (let round = 0; round < rounds; round += 1) {
      const id = await pending();
      const replies = await Promise.all([act(approver, id, 'approve'), act(customer.admin, id, 'reject')]);
      expect(outcomes(replies)).toEqual(['200', '409 relationship_transition_invalid']);
      const winner = replies.find((r) => r.status === 200)?.body.state;
      expect(expectOk(await customer.admin.get<Answer>(`${base}/${id}`)).state).toBe(winner);
    }
  });

  it('approve vs terminate on a fresh approval: the termination wins only after the approval; both sides terminating: one wins', async () => {
    for (let round = 0; round < rounds; round += 1) {
      const id = await pending();
      const [approved, terminated] = await Promise.all([act(approver, id, 'approve'), act(agent, id, 'terminate')]);
      // Serialized on the row: either the approval came first (both succeed, in that order) or the
      // termination found it still pending (409) and the approval stands.
      expect(approved?.status).toBe(200);
      expect([200, 409]).toContain(terminated?.status);
      if (terminated?.status === 409) expect(terminated.body.code).toBe('relationship_transition_invalid');
      const final = expectOk(await customer.admin.get<Answer>(`${base}/${id}`)).state;
      expect(final).toBe(terminated?.status === 200 ? 'terminated' : 'active');
      if (final === 'active') {
        const both = await Promise.all([act(agent, id, 'terminate'), act(approver, id, 'terminate')]);
        expect(outcomes(both)).toEqual(['200', '409 relationship_transition_invalid']);
      }
    }
  });

  it('two amendment decisions: one 200, one 409 amendment_not_pending', async () => {
    const id = await pending();
    expectOk(await act(approver, id, 'approve'));
    for (let round = 0; round < rounds; round += 1) {
      const amendment = expectOk(await agent.post<{ id: string }>(`${base}/${id}/amendments`, { duration: `P${90 + round}D` }), 201);
      const url = `${base}/${id}/amendments/${amendment.id}`;
      const replies = await Promise.all([customer.admin.post<Answer>(`${url}/approve`), approver.post<Answer>(`${url}/reject`)]);
      expect(outcomes(replies)).toEqual(['200', '409 amendment_not_pending']);
    }
  });

  it('amend vs expire: at the end the sweep expires it and the approval is 409; a second earlier the approval extends it and the sweep leaves it', async () => {
    for (const atEnd of [true, false]) {
      for (let round = 0; round < rounds; round += 1) {
        const id = await pending(['helpdesk'], 'P1D');
        const active = expectOk(await act(approver, id, 'approve'));
        const amendment = expectOk(await agent.post<{ id: string }>(`${base}/${id}/amendments`, { roles: ['helpdesk', 'license_admin'], duration: 'P30D' }), 201);
        const ends = Date.parse(active.endsAt ?? '');
        t.clock.set(new Date(ends - (atEnd ? 0 : 1000)));
        const [decision, swept] = await Promise.all([
          approver.post<Answer>(`${base}/${id}/amendments/${amendment.id}/approve`),
          runInTransaction(t.uow, null, 'test', (ctx) => sweepDelegatedAdmin(ctx)),
        ]);
        const final = expectOk(await approver.get<{ state: string; roles: string[] }>(`${base}/${id}`));
        if (atEnd) {
          expect([decision.status, decision.body.code]).toEqual([409, 'relationship_transition_invalid']);
          // The sweep may have skipped the row the decision held; the next pass takes it.
          if (swept.expired === 0) expect((await runInTransaction(t.uow, null, 'test', (ctx) => sweepDelegatedAdmin(ctx))).expired).toBe(1);
          expect([final.state, final.roles]).toEqual(['expired', ['helpdesk']]);
        } else {
          expect(decision.status).toBe(200);
          expect([final.state, final.roles]).toEqual(['expiring', ['helpdesk', 'license_admin']]);
        }
      }
    }
  });
});
