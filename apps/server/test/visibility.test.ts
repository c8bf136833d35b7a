import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  issuedFrom,
  queryRows,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from './harness.ts';

/*
 * The shared fixture of the security test catalogue:
 *   P1 ── R1a ── C1   (R1a→C1 grant active)
 *      ├─ R1b ── C2   (R1b→C2 grant expired)
 *      └─ Rm  ── C4
 *   P2 ── R2a ── C3   (R2a→C3 grant revoked: Tierlink has no "pending approval" grant state)
 *      └─ Rm  ── C5   (joint with P2)
 * The expected sets below are written from DESIGN §3 item 9 (a partner sees the customers it has
 * its own active relationship with, and the partnerships it is a party of), not from the code.
 */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Name = 'P1' | 'P2' | 'R1a' | 'R1b' | 'Rm' | 'R2a' | 'C1' | 'C2' | 'C3' | 'C4' | 'C5';

const model = {
  customers: { P1: [], P2: ['C5'], R1a: ['C1'], R1b: ['C2'], Rm: ['C4', 'C5'], R2a: ['C3'] } as Record<string, Name[]>,
  providers: { R1a: ['P1'], R1b: ['P1'], Rm: ['P1', 'P2'], R2a: ['P2'], P1: [], P2: [] } as Record<string, Name[]>,
  resellers: { P1: ['R1a', 'R1b', 'Rm'], P2: ['R2a', 'Rm'], R1a: [], R1b: [], Rm: [], R2a: [] } as Record<string, Name[]>,
  /** Shared customers: (reseller, provider) → customers both are related to. */
  shared: { 'Rm/P2': ['C5'], 'Rm/P1': [], 'R1a/P1': [], 'R1b/P1': [], 'R2a/P2': [] } as Record<string, Name[]>,
  /** A customer admin's partners: active relationship or live grant. */
  partners: { C1: ['R1a'], C2: ['R1b'], C3: ['R2a'], C4: ['Rm'], C5: ['P2', 'Rm'] } as Record<string, Name[]>,
};

async function walk(client: Client, url: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const sep = url.includes('?') ? '&' : '?';
    const page: Page<Record<string, unknown>> = expectOk(await client.get(`${url}${sep}limit=1${cursor === null ? '' : `&cursor=${cursor}`}`));
    for (const item of page.items) {
      const org = (item['organization'] as { id: string } | undefined)?.id ?? (item['id'] as string);
      seen.push(org);
    }
    cursor = page.nextCursor;
  } while (cursor !== null);
  return seen;
}

describe('ISO-01/02/05: every actor sees exactly its part of the shared fixture', () => {
  let t: TestContext;
  let operator: Client;
  const org = {} as Record<Name, OrgHandle>;
  const nameOf = (id: string) => (Object.entries(org).find(([, o]) => o.id === id)?.[0] ?? `foreign:${id}`) as Name;
  const grantIds: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    org.P1 = await createPartner(t, operator, 'P1 Distribution', 'indirect_provider');
    org.P2 = await createPartner(t, operator, 'P2 Distribution', 'indirect_provider');
    for (const name of ['R1a', 'R1b', 'Rm', 'R2a'] as const) org[name] = await createPartner(t, operator, `${name} Reseller`, 'indirect_reseller');
    for (const name of ['C1', 'C2', 'C3', 'C4', 'C5'] as const) org[name] = await createCustomer(t, `${name} Customer`);
    await connect(org.P1, org.R1a);
    await connect(org.P1, org.R1b);
    await connect(org.P1, org.Rm);
    await connect(org.P2, org.R2a);
    await connect(org.P2, org.Rm);
    await relate(org.R1a, org.C1);
    await relate(org.R2a, org.C3);
    await relate(org.Rm, org.C4);
    await relate(org.Rm, org.C5, org.P2.id);
    // R1b→C2 with a grant that lapses after one day.
    const issued = issuedFrom(expectOk(await org.R1b.admin.post('/api/v1/customer-invitations', { email: org.C2.adminEmail, delegatedAdminDays: 1 }), 201) as never);
    expectOk(await org.C2.admin.post(`/api/v1/invitations/${issued.id}/accept`, { token: issued.token, consent: true }));
    const c3grants = expectOk(await org.C3.admin.get<Page<{ delegatedAdmin: { id: string }[] }>>('/api/v1/partners')).items[0]?.delegatedAdmin ?? [];
    expectOk(await org.C3.admin.delete(`/api/v1/partners/${org.R2a.id}/delegated-admin/${c3grants[0]?.id ?? ''}`));
    for (const [partner, customer] of [['R1a', 'C1'], ['R1b', 'C2'], ['R2a', 'C3'], ['Rm', 'C4'], ['Rm', 'C5'], ['P2', 'C5']] as const) {
      const grants = expectOk(await org[partner].admin.get<{ items: { id: string }[] }>(`/api/v1/customers/${org[customer].id}/delegated-admin`));
      grantIds[`${partner}/${customer}`] = grants.items[0]?.id ?? '';
    }
    t.clock.advance(25 * 60 * 60 * 1000);
    // Sessions idle out over a day; every admin signs in again.
    for (const handle of Object.values(org)) {
      const fresh = t.client();
      expectOk(await fresh.post('/api/v1/sessions', { email: handle.adminEmail, password: 'correct horse battery' }), 201);
      handle.admin = fresh;
    }
  });
  afterAll(() => t.close());

  const partnersOf = (list: Record<string, Name[]>) => Object.keys(list) as Name[];

  it('lists: customers, indirect providers, indirect resellers, shared customers, partners', async () => {
    for (const actor of partnersOf(model.customers)) {
      expect((await walk(org[actor].admin, '/api/v1/customers')).map(nameOf).sort(), `${actor} customers`).toEqual(model.customers[actor]);
      expect((await walk(org[actor].admin, '/api/v1/indirect-providers')).map(nameOf).sort(), `${actor} providers`).toEqual(model.providers[actor]);
      expect((await walk(org[actor].admin, '/api/v1/indirect-resellers')).map(nameOf).sort(), `${actor} resellers`).toEqual(model.resellers[actor]);
    }
    for (const [pair, expected] of Object.entries(model.shared)) {
      const [reseller, provider] = pair.split('/') as [Name, Name];
      expect((await walk(org[reseller].admin, `/api/v1/indirect-providers/${org[provider].id}/customers`)).map(nameOf).sort(), pair).toEqual(expected);
    }
    for (const [customer, expected] of Object.entries(model.partners)) {
      expect((await walk(org[customer as Name].admin, '/api/v1/partners')).map(nameOf).sort(), `${customer} partners`).toEqual(expected);
    }
  });

  it('by id: every object outside the actor\'s view answers 404, reveals nothing and changes nothing', async () => {
    const allCustomers = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
    const before = await databaseDigest(t);
    for (const actor of partnersOf(model.customers)) {
      const admin = org[actor].admin;
      for (const customer of allCustomers) {
        if (model.customers[actor]?.includes(customer)) continue;
        const target = org[customer];
        const replies = [
          await admin.get(`/api/v1/customers/${target.id}`),
          await admin.get(`/api/v1/customers/${target.id}/delegated-admin`),
          await admin.post(`/api/v1/customers/${target.id}/relationship/remove`, { attestation: true, revokeDelegatedAdmin: true }),
        ];
        for (const [key, grantId] of Object.entries(grantIds)) {
          if (key.endsWith(`/${customer}`)) replies.push(await admin.delete(`/api/v1/customers/${target.id}/delegated-admin/${grantId}`));
        }
        for (const reply of replies) {
          expect(reply.status, `${actor} → ${customer}: ${reply.raw}`).toBe(404);
          expect(reply.raw).not.toContain(target.name);
          expect(reply.raw).not.toContain(target.domain);
        }
      }
      for (const other of ['P1', 'P2', 'R1a', 'R1b', 'Rm', 'R2a'] as const) {
        const target = org[other];
        if (!model.providers[actor]?.includes(other)) {
          expect((await admin.delete(`/api/v1/indirect-providers/${target.id}`)).status, `${actor} ends ${other} as provider`).toBe(404);
          expect((await admin.delete(`/api/v1/indirect-providers/${target.id}/delegated-admin`)).status).toBe(404);
          expect((await admin.get(`/api/v1/indirect-providers/${target.id}/customers`)).status).toBe(404);
        }
        if (!model.resellers[actor]?.includes(other)) {
          expect((await admin.delete(`/api/v1/indirect-resellers/${target.id}`)).status, `${actor} ends ${other} as reseller`).toBe(404);
        }
      }
    }
    // A customer admin reaches no grant of another customer.
    for (const customer of allCustomers) {
      for (const [key, grantId] of Object.entries(grantIds)) {
        const [partner, owner] = key.split('/') as [Name, Name];
        if (owner === customer) continue;
        const reply = await org[customer].admin.delete(`/api/v1/partners/${org[partner].id}/delegated-admin/${grantId}`);
        expect(reply.status, `${customer} revokes ${key}`).toBe(404);
      }
    }
    expect(await databaseDigest(t)).toBe(before);
  });

  it('ISO-05 edges: a customer admin reaches no partner route, a partner no customer-admin route', async () => {
    for (const customer of ['C1', 'C5'] as const) {
      for (const url of ['/api/v1/customers', '/api/v1/indirect-providers', '/api/v1/indirect-resellers', '/api/v1/operator/partners']) {
        expect((await org[customer].admin.get(url)).status, `${customer} ${url}`).toBe(403);
      }
    }
    for (const partner of ['P1', 'R1a'] as const) {
      expect((await org[partner].admin.get('/api/v1/partners')).status).toBe(403);
      expect((await org[partner].admin.get('/api/v1/operator/partners')).status).toBe(403);
    }
  });
});

/** A digest of every business table's rows (sessions excluded: reads touch last_seen_at). */
async function databaseDigest(t: TestContext): Promise<string> {
  const hash = createHash('sha256');
  for (const table of ['organizations', 'partnerships', 'reseller_relationships', 'delegated_admin_grants', 'invitations', 'audit_events', 'outbox_messages']) {
    const rows = await queryRows<{ row: string }>(t, sql`select (t.*)::text as row from ${sql.identifier(table)} t order by 1`);
    for (const r of rows) hash.update(r.row);
  }
  return hash.digest('hex');
}
