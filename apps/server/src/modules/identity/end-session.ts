import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { revokeSession } from './identity.repository.ts';

export async function endSession(ctx: UseCaseContext): Promise<void> {
  if (ctx.actor.sessionId === null) return;
  await revokeSession(ctx.tx, ctx.actor.sessionId, ctx.clock.now());
}
