import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardSwitch } from '../src/platform/http/access.ts';
import { buildSubjects, documentedRoutes, routeCells, signOut, type Route, type Subjects } from './authorization-cases.ts';
import { reportFigures } from './crash/proof-profile.ts';
import { createTestContext, type TestContext } from './harness.ts';

/*
 * AUTHZ-09, test the tests. For every route of the OpenAPI document, the app's guard of that one
 * route is switched off (the test-only `guardSwitch` of buildApp: no actor required, no gate, no
 * permission check) and the AUTHZ-01 cells of that route run again, one by one: without
 * credentials, every role × organization kind as user and API key, a temporary password, an
 * unverified partner. The first cell that fails detects the mutant; that same cell then runs again
 * with the guard on and must pass, so the failure is the mutant's doing and not the fixture's.
 * One app, one set of subjects; only the route's own cells run, and only until one fails.
 */

/**
 * Routes whose guard, switched off, changes no answer at all (equivalent mutants): an
 * `authenticated` guard only requires an actor, the use case requires one again (`runAsActor`
 * answers the same 401), and the gates (temporary password, MFA setup, unverified partner) let
 * these routes through for everyone. The test checks that they really go unnoticed, so the list
 * cannot grow silently.
 */
const equivalentMutants = new Map<string, string>([
  ['GET /api/v1/me', 'authenticated; runAsActor refuses a missing actor with the same 401, every gate lets /me through'],
  [signOut, 'authenticated; runAsActor refuses a missing actor with the same 401, every gate lets signing out through'],
]);

const slow = 600_000;

describe('AUTHZ-09: a route without its guard fails the suites', () => {
  let t: TestContext;
  const guardSwitch: GuardSwitch = { disabled: null };
  let routes: Route[];
  let subjects: Subjects;

  beforeAll(async () => {
    t = await createTestContext({ guardSwitch });
    ({ routes } = await documentedRoutes(t));
    subjects = await buildSubjects(t);
  }, slow);
  afterAll(() => t.close());

  /** Runs the route's cells with its guard off until one fails; that cell must pass with the guard on. */
  async function mutant(route: Route): Promise<{ detectedBy: string | null; cellsRun: number; controlFailure: string | null }> {
    // Signing out ends the sessions it is sent with, so that route runs only with clients it cannot end.
    const cells = routeCells(route, subjects, route.key === signOut);
    let cellsRun = 0;
    for (const cell of cells) {
      guardSwitch.disabled = route.key;
      let failure: string | null;
      try {
        failure = await cell.check();
      } finally {
        guardSwitch.disabled = null;
      }
      cellsRun += 1;
      if (failure === null) continue;
      const control = await cell.check();
      return { detectedBy: `${cell.label}: ${failure}`, cellsRun, controlFailure: control === null ? null : `${route.key} ${cell.label} with the guard on: ${control}` };
    }
    return { detectedBy: null, cellsRun, controlFailure: null };
  }

  it('every guarded route\'s missing guard is detected by a cell that passes with the guard on (100 %)', async () => {
    const controlFailures: string[] = [];
    const undetected: string[] = [];
    const detections: string[] = [];
    let cellsRun = 0;
    const guarded = routes.filter((r) => r.access !== 'public');
    for (const route of guarded) {
      const result = await mutant(route);
      cellsRun += result.cellsRun;
      if (result.controlFailure !== null) controlFailures.push(result.controlFailure);
      if (result.detectedBy === null) undetected.push(route.key);
      else detections.push(`${route.key} ← ${result.detectedBy}`);
    }
    const equivalent = guarded.filter((r) => equivalentMutants.has(r.key)).map((r) => r.key);
    const mutants = guarded.length - equivalent.length;
    const detected = mutants - undetected.filter((k) => !equivalentMutants.has(k)).length;
    reportFigures('AUTHZ-09', {
      routes: routes.length,
      publicRoutes: routes.length - guarded.length,
      guardedRoutes: guarded.length,
      equivalentMutants: equivalent.length,
      mutants,
      detected,
      detectionRate: `${((100 * detected) / mutants).toFixed(1)}%`,
      cellsRun,
    });
    if (process.env['PROOF_VERBOSE'] === '1') process.stdout.write(`${detections.join('\n')}\n`);
    expect(controlFailures, 'a detecting cell that fails with the guard on too').toEqual([]);
    expect(undetected, 'routes whose missing guard no cell notices (besides the equivalent mutants)').toEqual(equivalent);
    expect(guarded.length).toBeGreaterThanOrEqual(55);
  }, slow);

  it('a public route has no guard to switch off: with the switch set, every cell still passes', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => r.access === 'public')) {
      guardSwitch.disabled = route.key;
      try {
        for (const cell of routeCells(route, subjects)) {
          const failure = await cell.check();
          if (failure !== null) failures.push(failure);
        }
      } finally {
        guardSwitch.disabled = null;
      }
    }
    expect(failures).toEqual([]);
  }, slow);
});
