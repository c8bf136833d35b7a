import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasPermission,
  permissionsOf,
  roles,
  type Me,
  type OrganizationKind,
  type PermissionSubject,
  type Program,
  type Role,
  type RouteAccess,
} from '@tierlink/contract';
import { routeAccessOf } from '../src/platform/http/access.ts';
import {
  createCustomer,
  createOperator,
  createPartner,
  createTestContext,
  expectOk,
  password,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from './harness.ts';

/*
 * AUTHZ-01, the role × route matrix. Nothing here is listed by hand: the routes come from the
 * OpenAPI document, their guards from the app's own route → access map, and the expected answer of
 * every cell from `hasPermission` over the permission table. Each subject holds exactly one role in
 * one kind of organization — as a user (added through user management) and as an API key — and
 * calls every route with a harmless request: random ids, an empty body. The guard runs before
 * validation, so a denied cell answers 403 `forbidden` whatever the body, and a granted one gets
 * past it (the answer is then the use case's: 2xx, 400, 404, 409, 422).
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

interface Route {
  key: string;
  method: Method;
  path: string;
  access: RouteAccess;
}

interface Subject {
  label: string;
  principal: 'user' | 'api_key';
  client: Client;
  model: PermissionSubject;
}

interface OrganizationCase {
  label: string;
  kind: OrganizationKind;
  approvedPrograms: readonly Program[];
}

const organizationCases: readonly OrganizationCase[] = [
  { label: 'operator', kind: 'operator', approvedPrograms: [] },
  { label: 'indirect provider', kind: 'partner', approvedPrograms: ['indirect_provider'] },
  { label: 'indirect reseller', kind: 'partner', approvedPrograms: ['indirect_reseller'] },
  { label: 'customer', kind: 'customer', approvedPrograms: [] },
];

/** What the use case may answer once the guard let a request through (the request is harmless, never a 5xx). */
const pastTheGuard = (status: number) => (status >= 200 && status < 300) || [400, 404, 409, 422].includes(status);

/** Some 50 subjects (each a few password hashes) and some 3,300 calls, one after another: more than the default 60 s on a busy machine. */
const slow = 240_000;

/** Signing out ends the subject's session, so it is called last. */
const signOut = 'DELETE /api/v1/sessions';

/** Routes a session with a temporary password still reaches (identity policy, DESIGN §7). */
const passwordChangeRoutes = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', signOut]);
/** Until an enrollment is approved, a partner reads and finishes its enrollment, nothing else (DESIGN §6, W1). */
const unverifiedPartnerAccess = new Set<RouteAccess>(['public', 'authenticated', 'organization.read', 'enrollment.manage']);

interface Answer {
  status: number;
  code: string | undefined;
}

async function call(client: Client, route: Route): Promise<Answer> {
  // A fresh random id for every path parameter: nothing the subject could know or own.
  const url = route.path.replaceAll(/\{[^}]+\}/g, () => randomUUID());
  const reply = await client.request<{ code?: string } | null>(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
  return { status: reply.status, code: reply.body?.code };
}

const show = (answer: Answer) => `${answer.status} ${answer.code ?? ''}`.trim();

/** A user with exactly `role`, added by the organization's global admin, past the forced password change. */
async function addUser(t: TestContext, admin: Client, email: string, role: Role): Promise<{ client: Client; temporaryPassword: string }> {
  const added = expectOk(
    await admin.post<{ user: { roles: Role[] }; temporaryPassword: string }>('/api/v1/users', { displayName: `Matrix ${role}`, email, roles: [role] }),
    201,
  );
  expect(added.user.roles).toEqual([role]);
  return { client: await signIn(t, email, added.temporaryPassword), temporaryPassword: added.temporaryPassword };
}

async function changePassword(t: TestContext, email: string, client: Client, temporaryPassword: string): Promise<Client> {
  expectOk(await client.post('/api/v1/me/password', { currentPassword: temporaryPassword, newPassword: password }), 204);
  // A fresh sign-in with the chosen password, as the user would do next.
  return signIn(t, email, password);
}

async function apiKey(t: TestContext, admin: Client, role: Role): Promise<Client> {
  const created = expectOk(await admin.post<{ secret: string }>('/api/v1/api-keys', { name: `Matrix ${role}`, roles: [role] }), 201);
  const client = t.client();
  client.apiKey = created.secret;
  return client;
}

describe('AUTHZ-01 role × route matrix', () => {
  let t: TestContext;
  let routes: Route[];
  let documented: string[];
  let accessByKey: Map<string, RouteAccess>;
  const subjects: Subject[] = [];
  /** A customer user who has not yet replaced the temporary password. */
  let pendingPasswordChange: Client;
  /** The admin of an organization whose partner enrollment is not approved yet. */
  let unverifiedPartner: Subject;

  beforeAll(async () => {
    t = await createTestContext();
    const operator = await createOperator(t);

    const spec = expectOk(await t.client().get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json'));
    documented = Object.entries(spec.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
    // HEAD is answered by each GET route with the same guard; the document lists the GET.
    accessByKey = new Map(routeAccessOf(t.app).filter((r) => r.method !== 'HEAD').map((r) => [`${r.method} ${r.path}`, r.access]));
    routes = documented.flatMap((key) => {
      const [method, path] = key.split(' ');
      const access = accessByKey.get(key);
      const known = methods.find((m) => m === method);
      return access === undefined || known === undefined || path === undefined ? [] : [{ key, method: known, path, access }];
    });
    routes.sort((a, b) => Number(a.key === signOut) - Number(b.key === signOut));

    const admins: Record<string, Client> = {
      operator,
      'indirect provider': (await createPartner(t, operator, 'Matrix Provider', 'indirect_provider')).admin,
      'indirect reseller': (await createPartner(t, operator, 'Matrix Reseller', 'indirect_reseller')).admin,
    };
    const customer = await createCustomer(t, 'Matrix Customer');
    admins['customer'] = customer.admin;

    for (const organization of organizationCases) {
      const admin = admins[organization.label];
      if (admin === undefined) throw new Error(`no admin for ${organization.label}`);
      const slug = organization.label.replaceAll(' ', '-');
      for (const role of roles) {
        const model: PermissionSubject = { roles: [role], organizationKind: organization.kind, approvedPrograms: organization.approvedPrograms };
        const email = `${role.replaceAll('_', '-')}@${slug}.matrix.test`;
        const added = await addUser(t, admin, email, role);
        const user = await changePassword(t, email, added.client, added.temporaryPassword);
        subjects.push({ label: `${organization.label} ${role} user`, principal: 'user', client: user, model });
        subjects.push({ label: `${organization.label} ${role} API key`, principal: 'api_key', client: await apiKey(t, admin, role), model });
      }
    }

    pendingPasswordChange = (await addUser(t, customer.admin, 'pending@customer.matrix.test', 'user_admin')).client;
    unverifiedPartner = await enrolledNotApproved(t, operator);
  }, slow);
  afterAll(() => t.close());

  it('coverage: every documented route has an access entry, and every /api/v1 route is documented', () => {
    expect(documented.filter((key) => !accessByKey.has(key)), 'documented routes without an access entry').toEqual([]);
    const undocumented = [...accessByKey.keys()].filter((key) => key.split(' ')[1]?.startsWith('/api/v1') === true && !documented.includes(key));
    expect(undocumented, '/api/v1 routes missing from the OpenAPI document (and so from the matrix)').toEqual([]);
    expect(routes).toHaveLength(documented.length);
    expect(routes.length).toBeGreaterThanOrEqual(60);
  });

  it('each subject holds exactly its one role: /me lists what the table grants it', async () => {
    expect(subjects).toHaveLength(organizationCases.length * roles.length * 2);
    for (const subject of subjects) {
      const me = expectOk(await subject.client.get<Me>('/api/v1/me'));
      expect([me.organization.kind, me.user?.roles ?? null], subject.label).toEqual([
        subject.model.organizationKind,
        subject.principal === 'user' ? subject.model.roles : null,
      ]);
      expect(me.permissions, subject.label).toEqual(permissionsOf(subject.model));
    }
  });

  it('every role × organization kind × route cell answers as the permission table says (users and API keys)', async () => {
    const mismatches: string[] = [];
    let granted = 0;
    let denied = 0;
    const apiKeys = subjects.filter((s) => s.principal === 'api_key').length;
    for (const route of routes) {
      let apiKeysRefused = 0;
      for (const subject of subjects) {
        const allowed = route.access === 'public' || route.access === 'authenticated' || hasPermission(subject.model, route.access);
        const answer = await call(subject.client, route);
        const forbidden = answer.status === 403 && answer.code === 'forbidden';
        if (!allowed) {
          denied += 1;
          if (!forbidden) mismatches.push(`${route.key} [${route.access}] ${subject.label}: denied, expected 403 forbidden, got ${show(answer)}`);
        } else if (route.access === 'authenticated' && subject.principal === 'api_key' && forbidden) {
          // The guard lets any actor through here; a use case meant for people (own password, MFA
          // setup) refuses app-only credentials. Counted and checked for consistency below.
          apiKeysRefused += 1;
        } else {
          granted += 1;
          if (!pastTheGuard(answer.status)) mismatches.push(`${route.key} [${route.access}] ${subject.label}: granted, got ${show(answer)}`);
        }
      }
      // An `authenticated` route cannot depend on the role: it refuses every API key or none.
      if (apiKeysRefused !== 0 && apiKeysRefused !== apiKeys) {
        mismatches.push(`${route.key} [${route.access}]: ${apiKeysRefused} of ${apiKeys} API keys refused with 403 forbidden; the role must not matter`);
      }
    }
    expect(mismatches).toEqual([]);
    // Both halves of the matrix were exercised.
    expect(granted).toBeGreaterThan(500);
    expect(denied).toBeGreaterThan(1000);
  }, slow);

  it('a temporary password reaches only the password change: every other guarded route answers 403 password_change_required', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const answer = await call(pendingPasswordChange, route);
      if (route.access === 'public' || passwordChangeRoutes.has(route.key)) {
        if (!pastTheGuard(answer.status)) mismatches.push(`${route.key}: expected past the gate, got ${show(answer)}`);
      } else if (answer.status !== 403 || answer.code !== 'password_change_required') {
        mismatches.push(`${route.key} [${route.access}]: expected 403 password_change_required, got ${show(answer)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('an unverified partner reaches only its enrollment; elsewhere 403 partner_not_verified, whatever its roles', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const answer = await call(unverifiedPartner.client, route);
      if (!unverifiedPartnerAccess.has(route.access)) {
        if (answer.status !== 403 || answer.code !== 'partner_not_verified') {
          mismatches.push(`${route.key} [${route.access}]: expected 403 partner_not_verified, got ${show(answer)}`);
        }
      } else if (route.access === 'public' || route.access === 'authenticated' || hasPermission(unverifiedPartner.model, route.access)) {
        if (!pastTheGuard(answer.status)) mismatches.push(`${route.key} [${route.access}]: granted, got ${show(answer)}`);
      } else if (answer.status !== 403 || answer.code !== 'forbidden') {
        mismatches.push(`${route.key} [${route.access}]: denied, expected 403 forbidden, got ${show(answer)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});

/** A signed-up organization that enrolled as indirect reseller and waits for the email check: a partner without an approved program. */
async function enrolledNotApproved(t: TestContext, operator: Client): Promise<Subject> {
  const accountPassword = 'membership registry secret';
  expectOk(
    await operator.post('/api/v1/operator/memberships', {
      membershipId: 'MPN-MATRIX',
      legalName: 'Matrix Applicant Ltd',
      country: 'US',
      accountEmail: 'registry@applicant.matrix.test',
      accountPassword,
    }),
    201,
  );
  const org: OrgHandle = await createCustomer(t, 'Matrix Applicant');
  const { membershipToken } = expectOk(
    await org.admin.post<{ membershipToken: string }>('/api/v1/enrollments/membership-sign-in', { accountEmail: 'registry@applicant.matrix.test', accountPassword }),
    201,
  );
  expectOk(
    await org.admin.post('/api/v1/enrollments', {
      program: 'indirect_reseller',
      membershipToken,
      membershipId: 'MPN-MATRIX',
      legalProfile: { name: 'Matrix Applicant Ltd', address: '1 Main Street, Springfield' },
      primaryContact: { name: 'Pat Applicant', email: 'pat@applicant.matrix.test', phone: '+1 555 0100' },
      supportProfile: { email: 'support@applicant.matrix.test', phone: '+1 555 0199', website: 'https://applicant.matrix.test/support' },
    }),
    201,
  );
  // Enrolling made the organization a partner and its admin a global admin and admin agent.
  const client = await signIn(t, org.adminEmail);
  const me = expectOk(await client.get<Me>('/api/v1/me'));
  const model: PermissionSubject = { roles: me.user?.roles ?? [], organizationKind: me.organization.kind, approvedPrograms: [] };
  expect([model.organizationKind, [...model.roles].sort()]).toEqual(['partner', ['admin_agent', 'global_admin']]);
  return { label: 'unverified partner admin', principal: 'user', client, model };
}
