import { randomUUID } from 'node:crypto';
import {
  hasPermission,
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
  errorCodeOf,
  expectOk,
  isCompatiblePath,
  password,
  signIn,
  type Client,
  type OrgHandle,
  type TestContext,
} from './harness.ts';

/*
 * The cases of AUTHZ-01, per route, shared by the matrix (authorization-matrix.test.ts) and by its
 * test (authorization-mutants.test.ts, AUTHZ-09). Nothing is listed by hand: the routes come from
 * the OpenAPI document, their guards from the app's own route → access map, and the expected
 * answer of every cell from `hasPermission` over the permission table.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const methods: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface Route {
  key: string;
  method: Method;
  path: string;
  access: RouteAccess;
}

export interface Subject {
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

export const organizationCases: readonly OrganizationCase[] = [
  { label: 'operator', kind: 'operator', approvedPrograms: [] },
  { label: 'indirect provider', kind: 'partner', approvedPrograms: ['indirect_provider'] },
  { label: 'indirect reseller', kind: 'partner', approvedPrograms: ['indirect_reseller'] },
  { label: 'customer', kind: 'customer', approvedPrograms: [] },
];

/** What the use case may answer once the guard let a request through (the request is harmless, never a 5xx). */
export const pastTheGuard = (status: number) => (status >= 200 && status < 300) || [400, 404, 409, 422].includes(status);

/** Signing out ends the subject's session, so it is called last. */
export const signOut = 'DELETE /api/v1/sessions';

/** Routes a session with a temporary password still reaches (identity policy, DESIGN §7). */
const passwordChangeRoutes = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', signOut]);
/** Until an enrollment is approved, a partner reads and finishes its enrollment, nothing else (DESIGN §6, W1). */
const unverifiedPartnerAccess = new Set<RouteAccess>(['public', 'authenticated', 'organization.read', 'enrollment.manage']);

export interface Answer {
  status: number;
  code: string | undefined;
}

export async function call(client: Client, route: Route): Promise<Answer> {
  // A fresh random id for every path parameter: nothing the subject could know or own.
  const url = route.path.replaceAll(/\{[^}]+\}/g, () => randomUUID());
  const reply = await client.request<{ code?: string } | null>(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
  return { status: reply.status, code: errorCodeOf(reply) };
}

/**
 * The Partner Center–compatible API reads bearer credentials only: a session is anonymous there, so
 * every guarded compatible route answers a signed-in user 401 whatever its roles.
 */
const sessionRefused = (route: Route, principal: 'user' | 'api_key') => principal === 'user' && route.access !== 'public' && isCompatiblePath(route.path);
const expectSessionRefused = (route: Route, answer: Answer, label: string): string | null =>
  answer.status === 401 && answer.code === 'unauthenticated' ? null : `${route.key} [${route.access}] ${label}: sessions are not read on the compatible API, expected 401 unauthenticated, got ${show(answer)}`;

export const show = (answer: Answer) => `${answer.status} ${answer.code ?? ''}`.trim();

/** The documented routes with their guards (signing out last), and both lists for the coverage check. */
export async function documentedRoutes(t: TestContext): Promise<{ routes: Route[]; documented: string[]; accessByKey: Map<string, RouteAccess> }> {
  const spec = expectOk(await t.client().get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json'));
  const documented = Object.entries(spec.paths).flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`));
  // HEAD is answered by each GET route with the same guard; the document lists the GET.
  const accessByKey = new Map(routeAccessOf(t.app).filter((r) => r.method !== 'HEAD').map((r) => [`${r.method} ${r.path}`, r.access]));
  const routes = documented.flatMap((key) => {
    const [method, path] = key.split(' ');
    const access = accessByKey.get(key);
    const known = methods.find((m) => m === method);
    return access === undefined || known === undefined || path === undefined ? [] : [{ key, method: known, path, access }];
  });
  routes.sort((a, b) => Number(a.key === signOut) - Number(b.key === signOut));
  return { routes, documented, accessByKey };
}

export interface Subjects {
  /** One role in one kind of organization, as a user and as an API key. */
  matrix: Subject[];
  /** A customer user who has not yet replaced the temporary password. */
  pendingPasswordChange: Client;
  /** The admin of an organization whose partner enrollment is not approved yet. */
  unverifiedPartner: Subject;
  /** No credentials at all. */
  anonymous: Client;
}

/** A user with exactly `role`, added by the organization's global admin. */
async function addUser(t: TestContext, admin: Client, email: string, role: Role): Promise<{ client: Client; temporaryPassword: string; roles: Role[] }> {
  const added = expectOk(
    await admin.post<{ user: { roles: Role[] }; temporaryPassword: string }>('/api/v1/users', { displayName: `Matrix ${role}`, email, roles: [role] }),
    201,
  );
  return { client: await signIn(t, email, added.temporaryPassword), temporaryPassword: added.temporaryPassword, roles: added.user.roles };
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

/** Every subject of the matrix: some 50, each a few password hashes (a minute or two). */
export async function buildSubjects(t: TestContext): Promise<Subjects> {
  const operator = await createOperator(t);
  const admins: Record<string, Client> = {
    operator,
    'indirect provider': (await createPartner(t, operator, 'Matrix Provider', 'indirect_provider')).admin,
    'indirect reseller': (await createPartner(t, operator, 'Matrix Reseller', 'indirect_reseller')).admin,
  };
  const customer = await createCustomer(t, 'Matrix Customer');
  admins['customer'] = customer.admin;

  const matrix: Subject[] = [];
  for (const organization of organizationCases) {
    const admin = admins[organization.label];
    if (admin === undefined) throw new Error(`no admin for ${organization.label}`);
    const slug = organization.label.replaceAll(' ', '-');
    for (const role of roles) {
      const model: PermissionSubject = { roles: [role], organizationKind: organization.kind, approvedPrograms: organization.approvedPrograms };
      const email = `${role.replaceAll('_', '-')}@${slug}.matrix.test`;
      const added = await addUser(t, admin, email, role);
      if (added.roles.length !== 1 || added.roles[0] !== role) throw new Error(`${email} was added with ${added.roles.join(', ')}`);
      const user = await changePassword(t, email, added.client, added.temporaryPassword);
      matrix.push({ label: `${organization.label} ${role} user`, principal: 'user', client: user, model });
      matrix.push({ label: `${organization.label} ${role} API key`, principal: 'api_key', client: await apiKey(t, admin, role), model });
    }
  }
  const pendingPasswordChange = (await addUser(t, customer.admin, 'pending@customer.matrix.test', 'user_admin')).client;
  const unverifiedPartner = await enrolledNotApproved(t, operator);
  return { matrix, pendingPasswordChange, unverifiedPartner, anonymous: t.client() };
}

/** One matrix cell: what the subject got, and the mismatch if the answer is not the table's. */
export async function matrixCell(route: Route, subject: Subject): Promise<{ outcome: 'granted' | 'denied' | 'api_key_refused'; mismatch: string | null }> {
  const allowed = route.access === 'public' || route.access === 'authenticated' || hasPermission(subject.model, route.access);
  const answer = await call(subject.client, route);
  if (sessionRefused(route, subject.principal)) return { outcome: 'denied', mismatch: expectSessionRefused(route, answer, subject.label) };
  const forbidden = answer.status === 403 && answer.code === 'forbidden';
  if (!allowed) {
    return { outcome: 'denied', mismatch: forbidden ? null : `${route.key} [${route.access}] ${subject.label}: denied, expected 403 forbidden, got ${show(answer)}` };
  }
  // The guard lets any actor through here; a use case meant for people (own password, MFA
  // setup) refuses app-only credentials. Counted and checked for consistency by the matrix.
  if (route.access === 'authenticated' && subject.principal === 'api_key' && forbidden) return { outcome: 'api_key_refused', mismatch: null };
  return { outcome: 'granted', mismatch: pastTheGuard(answer.status) ? null : `${route.key} [${route.access}] ${subject.label}: granted, got ${show(answer)}` };
}

/** The matrix cells of one route; returns the mismatches and how many cells were granted and denied. */
export async function matrixCells(route: Route, subjects: readonly Subject[]): Promise<{ mismatches: string[]; granted: number; denied: number }> {
  const mismatches: string[] = [];
  let granted = 0;
  let denied = 0;
  let apiKeysRefused = 0;
  const apiKeys = subjects.filter((s) => s.principal === 'api_key').length;
  for (const subject of subjects) {
    const cell = await matrixCell(route, subject);
    if (cell.mismatch !== null) mismatches.push(cell.mismatch);
    if (cell.outcome === 'granted') granted += 1;
    else if (cell.outcome === 'denied') denied += 1;
    else apiKeysRefused += 1;
  }
  // An `authenticated` route cannot depend on the role: it refuses every API key or none.
  if (apiKeysRefused !== 0 && apiKeysRefused !== apiKeys) {
    mismatches.push(`${route.key} [${route.access}]: ${apiKeysRefused} of ${apiKeys} API keys refused with 403 forbidden; the role must not matter`);
  }
  return { mismatches, granted, denied };
}

/** One check of one route: null when the answer is as expected, else what was wrong. */
export interface Cell {
  label: string;
  check(): Promise<string | null>;
}

/**
 * Every cell of one route, one by one, in the order the suites run them: without credentials,
 * each matrix subject, a temporary password, an unverified partner. `lasting` leaves out the
 * sessions a call could end (for signing out).
 */
export function routeCells(route: Route, subjects: Subjects, lasting = false): Cell[] {
  const first = (list: string[]) => list[0] ?? null;
  const matrix = lasting ? subjects.matrix.filter((s) => s.principal === 'api_key') : subjects.matrix;
  return [
    { label: 'anonymous', check: async () => first(await anonymousCell(route, subjects.anonymous)) },
    ...matrix.map((subject) => ({ label: subject.label, check: async () => (await matrixCell(route, subject)).mismatch })),
    ...(lasting
      ? []
      : [
          { label: 'temporary password', check: async () => first(await passwordChangeCell(route, subjects.pendingPasswordChange)) },
          { label: subjects.unverifiedPartner.label, check: async () => first(await unverifiedPartnerCell(route, subjects.unverifiedPartner)) },
        ]),
  ];
}

/** A temporary password reaches only the password change; every other guarded route answers 403 password_change_required. */
export async function passwordChangeCell(route: Route, client: Client): Promise<string[]> {
  const answer = await call(client, route);
  if (sessionRefused(route, 'user')) return [expectSessionRefused(route, answer, 'temporary password')].filter((m) => m !== null);
  if (route.access === 'public' || passwordChangeRoutes.has(route.key)) {
    return pastTheGuard(answer.status) ? [] : [`${route.key}: expected past the gate, got ${show(answer)}`];
  }
  return answer.status === 403 && answer.code === 'password_change_required'
    ? []
    : [`${route.key} [${route.access}]: expected 403 password_change_required, got ${show(answer)}`];
}

/** An unverified partner reaches only its enrollment; elsewhere 403 partner_not_verified, whatever its roles. */
export async function unverifiedPartnerCell(route: Route, subject: Subject): Promise<string[]> {
  const answer = await call(subject.client, route);
  if (sessionRefused(route, subject.principal)) return [expectSessionRefused(route, answer, subject.label)].filter((m) => m !== null);
  if (!unverifiedPartnerAccess.has(route.access)) {
    return answer.status === 403 && answer.code === 'partner_not_verified'
      ? []
      : [`${route.key} [${route.access}]: expected 403 partner_not_verified, got ${show(answer)}`];
  }
  if (route.access === 'public' || route.access === 'authenticated' || hasPermission(subject.model, route.access)) {
    return pastTheGuard(answer.status) ? [] : [`${route.key} [${route.access}]: granted, got ${show(answer)}`];
  }
  return answer.status === 403 && answer.code === 'forbidden' ? [] : [`${route.key} [${route.access}]: denied, expected 403 forbidden, got ${show(answer)}`];
}

/**
 * Without credentials a guarded route answers 401 before anything else looks at the request: an
 * input the route would refuse (an unknown query parameter, an empty body) still gets 401, so an
 * anonymous caller learns nothing about the route's validation.
 */
export async function anonymousCell(route: Route, client: Client): Promise<string[]> {
  if (route.access === 'public') return [];
  const url = `${route.path.replaceAll(/\{[^}]+\}/g, () => randomUUID())}?proofProbe=1`;
  const reply = await client.request<{ code?: string } | null>(route.method, url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
  const answer = { status: reply.status, code: errorCodeOf(reply) };
  return answer.status === 401 && answer.code === 'unauthenticated' ? [] : [`${route.key} [${route.access}] anonymous: expected 401 unauthenticated, got ${show(answer)}`];
}

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
  const sorted = [...model.roles].sort().join(',');
  if (model.organizationKind !== 'partner' || sorted !== 'admin_agent,global_admin') throw new Error(`the applicant is ${model.organizationKind} with ${sorted}`);
  return { label: 'unverified partner admin', principal: 'user', client, model };
}
