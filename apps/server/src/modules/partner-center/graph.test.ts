import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, errorStatus } from '@tierlink/contract';
import { createCustomer, createOperator, createPartner, createTestContext, expectOk, relate, type Client, type OrgHandle, type TestContext } from '../../../test/harness.ts';
import { graphCode, graphCodeOverrides, graphCodesByStatus } from './graph.errors.ts';
import { roleDefinitionIds } from './graph.presenter.ts';

/*
 * The Graph delegated-admin facade (/v1.0/tenantRelationships): a partner drives a relationship
 * through Graph's shapes end to end (the customer approves natively), If-Match on PATCH and DELETE,
 * OData paging and the status filter, Graph's error body, and the mapping of every native code.
 */

interface GraphRel {
  id: string;
  '@odata.etag': string;
  '@tierlink.state': string;
  status: string;
  displayName: string;
  duration: string;
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
  activatedDateTime: string | null;
  endDateTime: string | null;
}
interface GraphErr {
  error: { code: string; message: string };
}
interface GraphList<T> {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: T[];
}

const base = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const helpdesk = roleDefinitionIds.helpdesk;
const license = roleDefinitionIds.license_admin;

function expectGraphError(reply: { status: number; body: unknown; headers: Record<string, unknown> }, status: number, code: string, native?: string): void {
  expect(reply.status).toBe(status);
  const body = reply.body as GraphErr;
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  expect(body.error.code).toBe(code);
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  if (native !== undefined) expect(reply.headers['tierlink-error-code']).toBe(native);
}

async function keyOf(t: TestContext, org: OrgHandle, roles: string[]): Promise<Client> {
  const created = expectOk(await org.admin.post<{ secret: string }>('/api/v1/api-keys', { name: `Graph ${roles.join(' ')}`, roles }), 201);
  const client = t.client();
  client.apiKey = created.secret;
  return client;
}

describe('Graph facade: delegated admin relationships', () => {
  let t: TestContext;
  let partner: OrgHandle;
  let customer: OrgHandle;
  let graph: Client;
  let approver: Client;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);
    partner = await createPartner(t, operator, 'Graph Reseller', 'indirect_reseller');
    customer = await createCustomer(t, 'Graph Customer');
    await relate(partner, customer);
    graph = await keyOf(t, partner, ['admin_agent']);
    approver = await keyOf(t, customer, ['delegated_admin_approver']);
  });
  afterAll(() => t.close());

  it('end to end: create, lock for approval, the customer approves natively, read active, terminate — all through Graph', async () => {
    const created = await graph.post<GraphRel>(base, {
      displayName: 'Graph e2e',
      duration: 'P90D',
      customer: { tenantId: customer.id, displayName: customer.name },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] },
    });
    const draft = expectOk(created, 201);
    expect(created.headers['location']).toMatch(new RegExp(`/v1.0/tenantRelationships/delegatedAdminRelationships/${draft.id}$`));
    expect(draft).toMatchObject({ status: 'created', duration: 'P90D', autoExtendDuration: 'P0D', activatedDateTime: null, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } });
    expect(draft['@odata.etag']).toMatch(/^W\/"/);

    const locked = await graph.post<{ id: string; action: string; status: string }>(`${base}/${draft.id}/requests`, { action: 'lockForApproval' });
    expect(expectOk(locked, 201)).toMatchObject({ action: 'lockForApproval', status: 'succeeded' });
    expect(locked.headers['location']).toContain(`/requests/${locked.body.id}`);
    expect(expectOk(await graph.get<GraphRel>(`${base}/${draft.id}`)).status).toBe('approvalPending');

    // The customer approves in Tierlink's own API (as in the portal).
    expectOk(await approver.post(`/api/v1/delegated-admin-relationships/${draft.id}/requests`, { action: 'approve' }));
    const active = expectOk(await graph.get<GraphRel>(`${base}/${draft.id}`));
    expect(active).toMatchObject({ status: 'active', '@tierlink.state': 'active' });
    expect(active.activatedDateTime).not.toBeNull();
    expect(active.endDateTime).not.toBeNull();

    const assignments = expectOk(await graph.get<GraphList<{ status: string; accessContainer: { accessContainerId: string } }>>(`${base}/${draft.id}/accessAssignments`));
    expect(assignments.value).toHaveLength(1);
    expect(assignments.value[0]).toMatchObject({ status: 'active', accessContainer: { accessContainerId: partner.id } });

    expect(expectOk(await graph.post(`${base}/${draft.id}/requests`, { action: 'terminate' }), 201)).toMatchObject({ action: 'terminate', status: 'succeeded' });
    const ended = expectOk(await graph.get<GraphRel>(`${base}/${draft.id}`));
    expect(ended.status).toBe('terminated');
    const requests = expectOk(await graph.get<GraphList<{ id: string; action: string }>>(`${base}/${draft.id}/requests`));
    expect(requests.value.map((r) => r.action)).toEqual(['lockForApproval', 'approve', 'terminate']);
    const first = requests.value[0];
    if (first === undefined) throw new Error('no request');
    expect(expectOk(await graph.get<{ id: string }>(`${base}/${draft.id}/requests/${first.id}`)).id).toBe(first.id);
    // Terminated twice: the native transition refusal in Graph's words.
    expectGraphError(await graph.post(`${base}/${draft.id}/requests`, { action: 'terminate' }), 409, 'notAllowed', 'relationship_transition_invalid');
  });

  it('PATCH and DELETE need the @odata.etag in If-Match: 428 without, 412 when stale; only drafts', async () => {
    const draft = expectOk(
      await graph.post<GraphRel>(base, { displayName: 'Graph draft', duration: 'P1Y', customer: { tenantId: customer.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } }),
      201,
    );
    expect(draft.duration).toBe('P365D');
    const url = `${base}/${draft.id}`;
    expectGraphError(await graph.patch(url, { displayName: 'Renamed' }), 428, 'Request_BadRequest', 'precondition_required');
    const changed = await graph.patch<GraphRel>(url, { displayName: 'Renamed', accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }, { roleDefinitionId: license }] } }, { 'if-match': draft['@odata.etag'] });
    expect(expectOk(changed)).toMatchObject({ displayName: 'Renamed', accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }, { roleDefinitionId: license }] } });
    expect(changed.headers['etag']).toBe(changed.body['@odata.etag']);
    expectGraphError(await graph.patch(url, { displayName: 'Again' }, { 'if-match': draft['@odata.etag'] }), 412, 'resourceModified', 'precondition_failed');
    expectGraphError(await graph.patch(url, { customer: { tenantId: partner.id } }, { 'if-match': changed.body['@odata.etag'] }), 400, 'Request_BadRequest', 'validation_failed');
    // A role Tierlink has no counterpart for (Exchange Administrator) is refused, naming what is offered.
    const exchange = await graph.patch<GraphErr>(url, { accessDetails: { unifiedRoles: [{ roleDefinitionId: '29232cdf-9323-42fd-ade2-1d097af3e4de' }] } }, { 'if-match': changed.body['@odata.etag'] });
    expectGraphError(exchange, 400, 'Request_BadRequest', 'validation_failed');
    expect(exchange.body.error.message).toContain('Helpdesk Administrator');

    expectGraphError(await graph.delete(url), 428, 'Request_BadRequest', 'precondition_required');
    expectGraphError(await graph.request('DELETE', url, undefined, { 'if-match': draft['@odata.etag'] }), 412, 'resourceModified', 'precondition_failed');
    expect((await graph.request('DELETE', url, undefined, { 'if-match': changed.body['@odata.etag'] })).status).toBe(204);
    expectGraphError(await graph.get(url), 404, 'Request_ResourceNotFound', 'not_found');
  });

  it('lists with $top, @odata.nextLink and $skipToken, filters on status, refuses other filters', async () => {
    for (const n of [1, 2, 3]) {
      expectOk(await graph.post(base, { displayName: `Graph page ${n}`, duration: 'P30D', customer: { tenantId: customer.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: license }] } }), 201);
    }
    const seen: string[] = [];
    let url: string | undefined = `${base}?$top=2`;
    while (url !== undefined) {
      const page: GraphList<GraphRel> = expectOk(await graph.get<GraphList<GraphRel>>(url));
      expect(page['@odata.context']).toMatch(/\/v1.0\/tenantRelationships\/\$metadata#delegatedAdminRelationships$/);
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((r) => r.id));
      const next = page['@odata.nextLink'];
      url = next === undefined ? undefined : next.slice(next.indexOf('/v1.0/'));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(4);

    const created = expectOk(await graph.get<GraphList<GraphRel>>(`${base}?$filter=${encodeURIComponent("status eq 'created'")}`));
    expect(created.value.length).toBeGreaterThanOrEqual(3);
    expect(created.value.every((r) => r.status === 'created')).toBe(true);
    expect(expectOk(await graph.get<GraphList<GraphRel>>(`${base}?$filter=${encodeURIComponent("status eq 'terminationRequested'")}`)).value).toEqual([]);
    expectGraphError(await graph.get(`${base}?$filter=${encodeURIComponent("displayName eq 'x'")}`), 400, 'Request_BadRequest', 'validation_failed');
    expectGraphError(await graph.get(`${base}?$skipToken=bm90LW91cnM`), 400, 'Request_BadRequest', 'validation_failed');
    expectGraphError(await graph.get(`${base}?$orderby=displayName`), 400, 'Request_BadRequest', 'validation_failed');
  });

  it('refuses a customer it does not serve, answers what Tierlink lacks with 501, reads no sessions', async () => {
    const stranger = await createCustomer(t, 'Graph Stranger');
    expectGraphError(
      await graph.post(base, { displayName: 'Not mine', duration: 'P30D', customer: { tenantId: stranger.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } }),
      404,
      'Request_ResourceNotFound',
      'not_found',
    );
    const list = expectOk(await graph.get<GraphList<GraphRel>>(base));
    const any = list.value[0];
    if (any === undefined) throw new Error('no relationship');
    const unsupported = await graph.post<GraphErr>(`${base}/${any.id}/accessAssignments`, { accessContainer: { accessContainerId: partner.id, accessContainerType: 'securityGroup' } });
    expectGraphError(unsupported, 501, 'notSupported', 'not_supported');
    expect(unsupported.body.error.message).toContain('security groups');
    expectGraphError(await graph.get('/v1.0/tenantRelationships/nothingHere'), 404, 'Request_ResourceNotFound', 'not_found');
    // The partner's session is anonymous here, as on /v1.
    expectGraphError(await partner.admin.get(base), 401, 'InvalidAuthenticationToken', 'unauthenticated');
    // The customer's approver reads the relationship the customer sees, but may not draft one.
    expectGraphError(await approver.post(base, { displayName: 'x', duration: 'P30D', customer: { tenantId: customer.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } }), 403, 'Authorization_RequestDenied');
  });

  it('the customer rejects through Graph too: the relationship reads terminated, @tierlink.state rejected', async () => {
    const draft = expectOk(
      await graph.post<GraphRel>(base, { displayName: 'Graph rejected', duration: 'P30D', customer: { tenantId: customer.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } }),
      201,
    );
    expectOk(await graph.post(`${base}/${draft.id}/requests`, { action: 'lockForApproval' }), 201);
    // The partner may not decide its own request: the native refusal.
    expectGraphError(await graph.post(`${base}/${draft.id}/requests`, { action: 'approve' }), 403, 'Authorization_RequestDenied');
    expect(expectOk(await approver.post(`${base}/${draft.id}/requests`, { action: 'reject' }), 201)).toMatchObject({ action: 'reject', status: 'succeeded' });
    const rejected = expectOk(await graph.get<GraphRel>(`${base}/${draft.id}`));
    expect([rejected.status, rejected['@tierlink.state']]).toEqual(['terminated', 'rejected']);
    expect(rejected.endDateTime).not.toBeNull();
  });

  it('by id, what the caller may not see is 404 on every Graph route, and nothing changes', async () => {
    const draft = expectOk(
      await graph.post<GraphRel>(base, { displayName: 'Graph isolation', duration: 'P30D', customer: { tenantId: customer.id }, accessDetails: { unifiedRoles: [{ roleDefinitionId: helpdesk }] } }),
      201,
    );
    const operator = await createOperator(t);
    const other = await createPartner(t, operator, 'Graph Other Partner', 'indirect_reseller');
    const stranger = await keyOf(t, other, ['global_admin']);
    const url = `${base}/${draft.id}`;
    const etag = { 'if-match': draft['@odata.etag'] };
    const attempts = [
      () => stranger.get(url),
      () => stranger.patch(url, { displayName: 'Taken over' }, etag),
      () => stranger.request('DELETE', url, undefined, etag),
      () => stranger.post(`${url}/requests`, { action: 'lockForApproval' }),
      () => stranger.get(`${url}/requests`),
      () => stranger.get(`${url}/accessAssignments`),
      // A draft is its partner's alone: the customer does not see it yet.
      () => approver.get(url),
      () => approver.post(`${url}/requests`, { action: 'approve' }),
    ];
    for (const attempt of attempts) {
      const reply = await attempt();
      expectGraphError(reply, 404, 'Request_ResourceNotFound', 'not_found');
      expect(reply.raw).not.toContain('Graph isolation');
    }
    expect(expectOk(await stranger.get<GraphList<GraphRel>>(base)).value).toEqual([]);
    expect(expectOk(await graph.get<GraphRel>(url))).toMatchObject({ displayName: 'Graph isolation', status: 'created', '@odata.etag': draft['@odata.etag'] });
  });

  it('maps every native error code to a Graph code (docs/partner-center-api.md lists them)', () => {
    const documented = new Set(Object.values(graphCodesByStatus));
    for (const code of errorCodes) {
      const status = errorStatus[code];
      expect(graphCodesByStatus[status], `${code} (${status}) has a Graph code for its status`).toBeDefined();
      const graphCodeOf = graphCode(code, status);
      expect(documented.has(graphCodeOf) || Object.values(graphCodeOverrides).includes(graphCodeOf), code).toBe(true);
    }
  });
});
