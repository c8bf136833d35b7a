import type { FastifyRequest } from 'fastify';
import type { SignInBody } from '@tierlink/contract';
import type { z } from 'zod';
import { runAnonymous } from '../../platform/http/routes.ts';
import type { UnitOfWorkDeps } from '../../platform/unit-of-work.ts';
import { createSession } from './create-session.ts';
import { countedGuess, type GuessLimit } from './guess-throttle.ts';
import { throttledSignIn } from './sign-in-throttle.ts';

/**
 * Sign-in under its throttles: per account, per address and account, per MFA challenge, and wrong
 * MFA codes also as guesses of the client's address (RATE-03). The throttles count outside the
 * session's transaction, so a refused attempt still counts after its rollback.
 */
export function signIn(
  uow: UnitOfWorkDeps,
  request: FastifyRequest,
  body: z.infer<typeof SignInBody>,
  options: { guessLimit: GuessLimit; onBlocked: (retryAfterSeconds: number) => void },
): Promise<{ token: string; userId: string; expiresAt: Date }> {
  const now = uow.clock.now();
  return countedGuess(uow.db, { ip: request.ip, now }, options.guessLimit, (e) => e.code === 'invalid_mfa_code', () =>
    throttledSignIn(uow.db, { email: body.email, ip: request.ip, now }, options.onBlocked, () =>
      runAnonymous(uow, request, (ctx) => createSession(ctx, body)),
    ),
  );
}
