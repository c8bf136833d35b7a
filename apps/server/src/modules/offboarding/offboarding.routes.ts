import { IdParams, OffboardBody, OffboardHeaders, OffboardingPlan, OffboardingResult } from '@tierlink/contract';
import { responses, runAsActor, type App } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { offboard } from './offboard.ts';
import type { OffboardingSubject } from './offboarding.policy.ts';
import { presentOffboarded, presentPlan } from './offboarding.presenter.ts';
import { planOffboarding } from './plan-offboarding.ts';

/** The plan (with its ETag) and the one-step offboarding, for each relationship a partner may end. */
export function registerOffboardingRoutes(app: App, uow: UnitOfWorkDeps): void {
  const subjects = [
    ['/api/v1/indirect-resellers/:id', 'an indirect reseller', (id: string): OffboardingSubject => ({ kind: 'partnership', side: 'provider', otherId: id })],
    ['/api/v1/indirect-providers/:id', 'an indirect provider', (id: string): OffboardingSubject => ({ kind: 'partnership', side: 'reseller', otherId: id })],
    ['/api/v1/customers/:id', 'a customer', (id: string): OffboardingSubject => ({ kind: 'customer_relationship', customerId: id })],
  ] as const;

  for (const [path, what, subjectOf] of subjects) {
    app.get(
      `${path}/offboarding-plan`,
      {
        schema: {
          tags: ['Offboarding'],
          summary: `What ending the relationship with ${what} leaves behind, each item with the actions offered (ETag: send it back in If-Match)`,
          params: IdParams,
          response: responses({ 200: OffboardingPlan }),
        },
        config: { access: 'offboarding.read' },
      },
      async (request, reply) => {
        const plan = presentPlan(await runAsActor(uow, request, (ctx) => planOffboarding(ctx, subjectOf(request.params.id))));
        return reply.header('ETag', plan.etag).send(plan);
      },
    );

    app.post(
      `${path}/offboard`,
      {
        schema: {
          tags: ['Offboarding'],
          summary: `End the relationship with ${what} and carry out the plan's chosen actions in one transaction (If-Match and an attestation required)`,
          params: IdParams,
          headers: OffboardHeaders,
          body: OffboardBody,
          response: responses({ 200: OffboardingResult }, [
            'attestation_required',
            'offboarding_item_unknown',
            'offboarding_action_invalid',
            'offboarding_plan_stale',
            'precondition_required',
            'grant_not_active',
            'invitation_not_pending',
            'precondition_failed',
          ]),
        },
        config: { access: 'offboarding.manage' },
      },
      async (request) => {
        const done = await runAsActor(uow, request, (ctx) => offboard(ctx, subjectOf(request.params.id), request.body, request.headers['if-match']));
        return presentOffboarded(done.plan, done.choices);
      },
    );
  }
}
