import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  relate,
  type Client,
  type OrgHandle,
  type TestContext,
} from './harness.ts';
import { countLeaks } from './proof-counts.ts';

/** Ids a caller got that the model does not give it: leaks. */
const extra = (got: readonly string[], expected: readonly string[]) => got.filter((id) => !expected.includes(id)).length;

/*
 * ISO-04 / DAP-04 as a model check: random relationship graphs and random sequences of ending
 * relationships, partnerships and grants, against the real API and a small reference model of who
 * sees what (DESIGN §3 item 9). After every step every list of every actor must equal the model.
 */
interface Graph {
  providers: number;
  resellers: number;
  customers: number;
  partnerships: [number, number][];
  /** [reseller, customer, joint provider or -1] */
  relationships: [number, number, number][];
}

type Step =
  | { kind: 'remove'; partner: 'reseller' | 'provider'; index: number; revoke: boolean }
  | { kind: 'end'; index: number }
  | { kind: 'customer-revokes'; index: number };

const graphArbitrary: fc.Arbitrary<Graph> = fc
  .record({ providers: fc.integer({ min: 1, max: 2 }), resellers: fc.integer({ min: 1, max: 3 }), customers: fc.integer({ min: 1, max: 4 }) })
  .chain(({ providers, resellers, customers }) =>
    fc.record({
      providers: fc.constant(providers),
      resellers: fc.constant(resellers),
      customers: fc.constant(customers),
      partnerships: fc.uniqueArray(fc.tuple(fc.nat(providers - 1), fc.nat(resellers - 1)), { selector: (e) => e.join('/'), maxLength: providers * resellers }),
      relationships: fc.uniqueArray(fc.tuple(fc.nat(resellers - 1), fc.nat(customers - 1), fc.integer({ min: -1, max: providers - 1 })), {
        selector: (e) => `${e[0]}/${e[1]}`,
        maxLength: resellers * customers,
      }),
    }),
  );

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), partner: fc.constantFrom('reseller' as const, 'provider' as const), index: fc.nat(20), revoke: fc.boolean() }),
  fc.record({ kind: fc.constant('end' as const), index: fc.nat(20) }),
  fc.record({ kind: fc.constant('customer-revokes' as const), index: fc.nat(20) }),
);

/** The reference model: sets of edges, nothing else. */
class Model {
  partnerships = new Set<string>();
  relationships = new Set<string>();
  grants = new Set<string>();
  key = (a: string, b: string) => `${a}|${b}`;
  customersOf(partner: string, all: string[]): string[] {
    return all.filter((c) => this.relationships.has(this.key(partner, c)));
  }
}

const sorted = (ids: string[]) => [...ids].sort();

describe('ISO-04 / DAP-04: the API agrees with the visibility model on random graphs', () => {
  let t: TestContext;
  let operator: Client;
  let run = 0;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
  });
  afterAll(() => t.close());

  it('holds for every actor, list and step', async () => {
    await fc.assert(
      fc.asyncProperty(graphArbitrary, fc.array(stepArbitrary, { maxLength: 4 }), async (graph, steps) => {
        run += 1;
        const providers: OrgHandle[] = [];
        const resellers: OrgHandle[] = [];
        const customers: OrgHandle[] = [];
        for (let i = 0; i < graph.providers; i += 1) providers.push(await createPartner(t, operator, `M${run} Provider ${i}`, 'indirect_provider'));
        for (let i = 0; i < graph.resellers; i += 1) resellers.push(await createPartner(t, operator, `M${run} Reseller ${i}`, 'indirect_reseller'));
        for (let i = 0; i < graph.customers; i += 1) customers.push(await createCustomer(t, `M${run} Customer ${i}`));
        const model = new Model();
        const customerIds = customers.map((c) => c.id);

        for (const [p, r] of graph.partnerships) {
          const provider = providers[p];
          const reseller = resellers[r];
          if (provider === undefined || reseller === undefined) continue;
          await connect(provider, reseller);
          model.partnerships.add(model.key(provider.id, reseller.id));
          model.grants.add(model.key(provider.id, reseller.id));
        }
        for (const [r, c, p] of graph.relationships) {
          const reseller = resellers[r];
          const customer = customers[c];
          if (reseller === undefined || customer === undefined) continue;
          const provider = p >= 0 ? providers[p] : undefined;
          const joint = provider !== undefined && model.partnerships.has(model.key(provider.id, reseller.id)) ? provider : undefined;
          const partners = joint === undefined ? [reseller] : [reseller, joint];
          // Accepting when every relationship already exists answers 409; the model skips it too.
          if (partners.every((x) => model.relationships.has(model.key(x.id, customer.id)))) continue;
          await relate(reseller, customer, joint?.id);
          for (const x of partners) {
            if (!model.grants.has(model.key(x.id, customer.id))) model.grants.add(model.key(x.id, customer.id));
            model.relationships.add(model.key(x.id, customer.id));
          }
        }

        const check = async () => {
          for (const partner of [...providers, ...resellers]) {
            const list = expectOk(await partner.admin.get<{ items: { id: string }[] }>('/api/v1/customers?limit=200')).items.map((i) => i.id);
            countLeaks(extra(list, model.customersOf(partner.id, customerIds)));
            expect(sorted(list), `customers of ${partner.name}`).toEqual(sorted(model.customersOf(partner.id, customerIds)));
          }
          for (const reseller of resellers) {
            for (const provider of providers) {
              const reply = await reseller.admin.get<{ items: { id: string }[] }>(`/api/v1/indirect-providers/${provider.id}/customers?limit=200`);
              if (!model.partnerships.has(model.key(provider.id, reseller.id))) {
                expect(reply.status, `${reseller.name} → ${provider.name}`).toBe(404);
                continue;
              }
              const expected = model.customersOf(reseller.id, customerIds).filter((c) => model.relationships.has(model.key(provider.id, c)));
              const shared = expectOk(reply).items.map((i) => i.id);
              countLeaks(extra(shared, expected));
              expect(sorted(shared), `shared ${reseller.name}/${provider.name}`).toEqual(sorted(expected));
            }
          }
          for (const customer of customers) {
            const partners = expectOk(await customer.admin.get<{ items: { organization: { id: string } }[] }>('/api/v1/partners?limit=200')).items;
            const expected = [...providers, ...resellers]
              .filter((x) => model.relationships.has(model.key(x.id, customer.id)) || model.grants.has(model.key(x.id, customer.id)))
              .map((x) => x.id);
            countLeaks(extra(partners.map((p) => p.organization.id), expected));
            expect(sorted(partners.map((p) => p.organization.id)), `partners of ${customer.name}`).toEqual(sorted(expected));
          }
        };

        await check();
        for (const step of steps) {
          if (step.kind === 'remove') {
            const pool = step.partner === 'reseller' ? resellers : providers;
            const pairs = pool.flatMap((x) => customers.filter((c) => model.relationships.has(model.key(x.id, c.id))).map((c) => [x, c] as const));
            const pair = pairs[step.index % Math.max(pairs.length, 1)];
            if (pair === undefined) continue;
            const [partner, customer] = pair;
            expectOk(await partner.admin.post(`/api/v1/customers/${customer.id}/relationship/remove`, { attestation: true, revokeDelegatedAdmin: step.revoke }));
            model.relationships.delete(model.key(partner.id, customer.id));
            if (step.revoke) model.grants.delete(model.key(partner.id, customer.id));
          } else if (step.kind === 'end') {
            const pairs = [...model.partnerships];
            const pair = pairs[step.index % Math.max(pairs.length, 1)];
            if (pair === undefined) continue;
            const [providerId, resellerId] = pair.split('|');
            const provider = providers.find((p) => p.id === providerId);
            if (provider === undefined) continue;
            expectOk(await provider.admin.delete(`/api/v1/indirect-resellers/${resellerId}`));
            model.partnerships.delete(pair);
          } else {
            const pairs = customers.flatMap((c) =>
              [...providers, ...resellers].filter((x) => model.grants.has(model.key(x.id, c.id))).map((x) => [x, c] as const),
            );
            const pair = pairs[step.index % Math.max(pairs.length, 1)];
            if (pair === undefined) continue;
            const [partner, customer] = pair;
            const grants = expectOk(
              await customer.admin.get<{ items: { organization: { id: string }; delegatedAdmin: { id: string; state: string }[] }[] }>('/api/v1/partners?limit=200'),
            ).items.find((i) => i.organization.id === partner.id)?.delegatedAdmin.filter((g) => g.state === 'active');
            const grant = grants?.[0];
            if (grant === undefined) throw new Error(`model expects a live grant of ${partner.name} in ${customer.name}`);
            expectOk(await customer.admin.delete(`/api/v1/partners/${partner.id}/delegated-admin/${grant.id}`));
            model.grants.delete(model.key(partner.id, customer.id));
          }
          await check();
        }
      }),
      { numRuns: Number(process.env['MODEL_RUNS'] ?? 8), endOnFailure: true },
    );
  }, 240_000);
});
