import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  queryRows,
  type Client,
  type OrgHandle,
  type TestContext,
} from '../../../test/harness.ts';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
interface Problem {
  code: string;
  detail?: string;
  field?: string;
}
interface CustomerItem {
  id: string;
  name: string;
  domain: string;
  country: string;
  relationship: { partner: { id: string }; state: string; source: string };
  delegatedAdmin: unknown[];
}
interface Row {
  partnerDomain: string;
  customerName: string;
  customerDomain: string;
  customerCountry: string;
}

const importUrl = '/api/v1/operator/reseller-relationships/import';
const csvHeader = 'partner_domain,customer_name,customer_domain,customer_country';

describe('W9: operator import of pre-existing reseller relationships', () => {
  let t: TestContext;
  let operator: Client;
  let reseller: OrgHandle;
  let provider: OrgHandle;
  let existing: OrgHandle;

  beforeAll(async () => {
    t = await createTestContext();
    operator = await createOperator(t);
    reseller = await createPartner(t, operator, 'Rowan Reseller', 'indirect_reseller');
    provider = await createPartner(t, operator, 'Summit Distribution', 'indirect_provider');
    existing = await createCustomer(t, 'Existing Co');
  });
  afterAll(() => t.close());

  const importJson = (items: Row[], who: Client = operator) => who.post<Problem & Record<string, number>>(importUrl, { items });
  const importCsv = (lines: string[]) => operator.post<Problem & Record<string, number>>(importUrl, lines.join('\n'), { 'content-type': 'text/csv' });
  const customersOf = async (partner: OrgHandle, query = '') =>
    expectOk(await partner.admin.get<Page<CustomerItem>>(`/api/v1/customers${query}`)).items;
  /** "Nothing was created" means these counts do not move. */
  const counts = async () =>
    (
      await queryRows<{ organizations: number; relationships: number; events: number }>(
        t,
        sql`select (select count(*)::int from organizations) as organizations,
                   (select count(*)::int from reseller_relationships) as relationships,
                   (select count(*)::int from audit_events) as events`,
      )
    )[0];

  const jsonRows = (): Row[] => [
    { partnerDomain: reseller.domain, customerName: 'New One', customerDomain: 'new-one.test', customerCountry: 'US' },
    { partnerDomain: reseller.domain, customerName: 'Existing Company Ltd', customerDomain: existing.domain, customerCountry: 'US' },
    { partnerDomain: provider.domain, customerName: 'New One', customerDomain: 'new-one.test', customerCountry: 'US' },
  ];
  const csvRows = () => [csvHeader, `${reseller.domain},Csv Alpha,csv-alpha.test,de`, `${reseller.domain},"Csv Beta, Inc.",csv-beta.test,FR`];

  it('JSON: the imported customers appear on each partner\'s Customers page, without delegated admin', async () => {
    expect(expectOk(await importJson(jsonRows()))).toEqual({ created: 3, existing: 0, customersCreated: 1 });

    const mine = await customersOf(reseller);
    expect(mine.map((c) => [c.name, c.domain, c.relationship.partner.id, c.relationship.state, c.relationship.source, c.delegatedAdmin])).toEqual([
      ['Existing Co', existing.domain, reseller.id, 'active', 'import', []],
      ['New One', 'new-one.test', reseller.id, 'active', 'import', []],
    ]);
    expect((await customersOf(provider)).map((c) => c.name)).toEqual(['New One']);
    // A customer that already had an organization keeps it and sees the partner.
    const partners = expectOk(await existing.admin.get<Page<{ organization: { id: string }; relationship: { source: string } | null }>>('/api/v1/partners'));
    expect(partners.items.map((p) => [p.organization.id, p.relationship?.source])).toEqual([[reseller.id, 'import']]);
    // A new one is an organization without users until its admin signs up.
    const users = await queryRows<{ n: number }>(
      t,
      sql`select count(*)::int as n from users u join organizations o on o.id = u.organization_id where o.domain = 'new-one.test'`,
    );
    expect(users[0]?.n).toBe(0);
  });

  it('CSV (text/csv): the same, with the documented header', async () => {
    expect(expectOk(await importCsv(csvRows()))).toEqual({ created: 2, existing: 0, customersCreated: 2 });
    const imported = await customersOf(reseller, '?name=csv');
    expect(imported.map((c) => [c.name, c.domain, c.country, c.relationship.source])).toEqual([
      ['Csv Alpha', 'csv-alpha.test', 'DE', 'import'],
      ['Csv Beta, Inc.', 'csv-beta.test', 'FR', 'import'],
    ]);
  });

  it('re-importing counts the relationships as existing and creates nothing', async () => {
    const before = await counts();
    expect(expectOk(await importJson(jsonRows()))).toEqual({ created: 0, existing: 3, customersCreated: 0 });
    expect(expectOk(await importCsv(csvRows()))).toEqual({ created: 0, existing: 2, customersCreated: 0 });
    expect((await counts())?.relationships).toBe(before?.relationships);
    expect((await counts())?.organizations).toBe(before?.organizations);
    // The same row twice in one import: created once, then existing.
    const twice: Row = { partnerDomain: provider.domain, customerName: 'Twice', customerDomain: 'twice.test', customerCountry: 'US' };
    expect(expectOk(await importJson([twice, twice]))).toEqual({ created: 1, existing: 1, customersCreated: 1 });
  });

  it('a bad row rolls the whole import back and the 400 names the row', async () => {
    const good: Row = { partnerDomain: reseller.domain, customerName: 'Never Created', customerDomain: 'never-created.test', customerCountry: 'US' };
    const before = await counts();
    const cases: [string, () => ReturnType<typeof importJson>, string][] = [
      ['unknown partner', () => importJson([good, { ...good, partnerDomain: 'unknown-partner.test', customerDomain: 'x1.test' }]), 'items.1.partnerDomain'],
      ['a customer as partner', () => importJson([good, { ...good, partnerDomain: existing.domain, customerDomain: 'x2.test' }]), 'items.1.partnerDomain'],
      ['a partner as customer', () => importJson([good, { ...good, customerDomain: provider.domain }]), 'items.1.customerDomain'],
      ['CSV: unknown partner', () => importCsv([csvHeader, `${reseller.domain},Never Created,never-created.test,US`, 'unknown-partner.test,X,x3.test,US']), 'items.1.partnerDomain'],
      ['CSV: bad country', () => importCsv([csvHeader, `${reseller.domain},Never Created,never-created.test,US`, `${reseller.domain},X,x4.test,USA`]), 'items.1.customerCountry'],
    ];
    for (const [label, run, field] of cases) {
      const refused = await run();
      expect([label, refused.status, refused.body.code, refused.body.field]).toEqual([label, 400, 'validation_failed', field]);
      expect(refused.body.detail).toMatch(/^Row 2: /);
    }
    const after = await counts();
    expect(after).toEqual(before);
    expect(await customersOf(reseller, '?name=never')).toEqual([]);
  });

  it('malformed input answers 400 without writing; only the operator may import', async () => {
    const before = await counts();
    for (const [label, lines, field] of [
      ['header only', [csvHeader], 'body'],
      ['unknown column', ['partner_domain,customer_name,customer_domain,customer_country,notes', `${reseller.domain},A,a.test,US,hello`], 'notes'],
    ] as const) {
      const refused = await importCsv([...lines]);
      expect([label, refused.status, refused.body.code, refused.body.field]).toEqual([label, 400, 'validation_failed', field]);
    }
    const badDomain = await importJson([{ partnerDomain: reseller.domain, customerName: 'A', customerDomain: 'not a domain', customerCountry: 'US' }]);
    expect([badDomain.status, badDomain.body.code]).toEqual([400, 'validation_failed']);
    const empty = await importJson([]);
    expect([empty.status, empty.body.code]).toEqual([400, 'validation_failed']);

    const byPartner = await importJson([{ partnerDomain: reseller.domain, customerName: 'Sneaky', customerDomain: 'sneaky.test', customerCountry: 'US' }], reseller.admin);
    expect([byPartner.status, byPartner.body.code]).toEqual([403, 'forbidden']);
    const byCustomer = await existing.admin.post<Problem>(importUrl, `${csvHeader}\n${reseller.domain},Sneaky,sneaky.test,US`, { 'content-type': 'text/csv' });
    expect([byCustomer.status, byCustomer.body.code]).toEqual([403, 'forbidden']);
    expect(await counts()).toEqual(before);
  });
});
