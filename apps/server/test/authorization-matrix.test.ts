import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf, roles, type Me, type RouteAccess } from '@tierlink/contract';
import {
  anonymousCell,
  buildSubjects,
  documentedRoutes,
  matrixCells,
  organizationCases,
  passwordChangeCell,
  unverifiedPartnerCell,
  type Route,
  type Subjects,
} from './authorization-cases.ts';
import { createTestContext, expectOk, type TestContext } from './harness.ts';

/*
 * AUTHZ-01, the role × route matrix. Nothing here is listed by hand: the routes come from the
 * OpenAPI document, their guards from the app's own route → access map, and the expected answer of
 * every cell from `hasPermission` over the permission table (authorization-cases.ts). Each subject
 * holds exactly one role in one kind of organization — as a user (added through user management)
 * and as an API key — and calls every route with a harmless request: random ids, an empty body.
 * The guard runs before validation, so a denied cell answers 403 `forbidden` whatever the body,
 * and a granted one gets past it (the answer is then the use case's: 2xx, 400, 404, 409, 422).
 * authorization-mutants.test.ts (AUTHZ-09) shows that these cells notice any one guard missing.
 */

/** Some 50 subjects (each a few password hashes) and some 3,300 calls, one after another: more than the default 60 s on a busy machine. */
const slow = 240_000;

describe('AUTHZ-01 role × route matrix', () => {
  let t: TestContext;
  let routes: Route[];
  let documented: string[];
  let accessByKey: Map<string, RouteAccess>;
  let subjects: Subjects;

  beforeAll(async () => {
    t = await createTestContext();
    ({ routes, documented, accessByKey } = await documentedRoutes(t));
    subjects = await buildSubjects(t);
  }, slow);
  afterAll(() => t.close());

  it('coverage: every documented route has an access entry, and every /api/v1 route is documented', () => {
    expect(documented.filter((key) => !accessByKey.has(key)), 'documented routes without an access entry').toEqual([]);
    const api = (path: string) => path.startsWith('/api/v1') || path.startsWith('/v1/') || path.startsWith('/v1.0/');
    const undocumented = [...accessByKey.keys()].filter((key) => api(key.split(' ')[1] ?? '') && !documented.includes(key));
    expect(undocumented, '/api/v1 and /v1 routes missing from the OpenAPI document (and so from the matrix)').toEqual([]);
    expect(routes).toHaveLength(documented.length);
    expect(routes.length).toBeGreaterThanOrEqual(60);
  });

  it('each subject holds exactly its one role: /me lists what the table grants it', async () => {
    expect(subjects.matrix).toHaveLength(organizationCases.length * roles.length * 2);
    for (const subject of subjects.matrix) {
      const me = expectOk(await subject.client.get<Me>('/api/v1/me'));
      expect([me.organization.kind, me.user?.roles ?? null], subject.label).toEqual([
        subject.model.organizationKind,
        subject.principal === 'user' ? subject.model.roles : null,
      ]);
      expect(me.permissions, subject.label).toEqual(permissionsOf(subject.model));
    }
  });

  it('without credentials every guarded route answers 401 before looking at the input', async () => {
    const mismatches: string[] = [];
    for (const route of routes) mismatches.push(...(await anonymousCell(route, subjects.anonymous)));
    expect(mismatches).toEqual([]);
  });

  it('every role × organization kind × route cell answers as the permission table says (users and API keys)', async () => {
    const mismatches: string[] = [];
    let granted = 0;
    let denied = 0;
    for (const route of routes) {
      const cells = await matrixCells(route, subjects.matrix);
      mismatches.push(...cells.mismatches);
      granted += cells.granted;
      denied += cells.denied;
    }
    expect(mismatches).toEqual([]);
    // Both halves of the matrix were exercised.
    expect(granted).toBeGreaterThan(500);
    expect(denied).toBeGreaterThan(1000);
  }, slow);

  it('a temporary password reaches only the password change: every other guarded route answers 403 password_change_required', async () => {
    const mismatches: string[] = [];
    for (const route of routes) mismatches.push(...(await passwordChangeCell(route, subjects.pendingPasswordChange)));
    expect(mismatches).toEqual([]);
  });

  it('an unverified partner reaches only its enrollment; elsewhere 403 partner_not_verified, whatever its roles', async () => {
    const mismatches: string[] = [];
    for (const route of routes) mismatches.push(...(await unverifiedPartnerCell(route, subjects.unverifiedPartner)));
    expect(mismatches).toEqual([]);
  });
});
