import type { FastifyRequest } from 'fastify';
import type { SignUpBody } from '@tierlink/contract';
import { runAnonymous } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { createOrganization, type InvitationEmailProof } from './create-organization.ts';
import { createSession } from './create-session.ts';
import { throttledGuess, type GuessLimit } from './guess-throttle.ts';
import type { OrganizationRow, UserRow } from './identity.queries.ts';

/**
 * Sign-up and the first session in one transaction. An invitation token in the sign-up is a token
 * to guess like any other (RATE-03): counted outside the transaction, so a refusal still counts.
 */
export function signUp(
  uow: UnitOfWorkDeps,
  request: FastifyRequest,
  body: SignUpBody,
  options: { guessLimit: GuessLimit; proveInvitationEmail: InvitationEmailProof },
): Promise<{ organization: OrganizationRow; user: UserRow; session: { token: string; expiresAt: Date } }> {
  const attempt = () =>
    runAnonymous(uow, request, async (ctx) => {
      const created = await createOrganization(ctx, body, options.proveInvitationEmail);
      const session = await createSession(ctx, { email: body.admin.email, password: body.admin.password });
      return { ...created, session };
    });
  if (body.invitation === undefined) return attempt();
  return throttledGuess(uow.db, { ip: request.ip, now: uow.clock.now() }, options.guessLimit, (e) => e.code === 'invitation_email_mismatch', attempt);
}
