import { decodeCursor, toPage } from '../../platform/cursor.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { listEnrollmentViews, type EnrollmentView, type ProfileRow } from './enrollment.repository.ts';

/** Operators: the review queue (oldest first). Partners: their own enrollments (`own`). */
export async function listEnrollments(
  ctx: UseCaseContext,
  query: { limit: number; cursor?: string; state?: ProfileRow['state'] },
  own: boolean,
): Promise<{ items: EnrollmentView[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listEnrollmentViews(ctx.tx, {
    ...(own ? { organizationId: ctx.actor.organizationId } : {}),
    ...(query.state === undefined ? {} : { state: query.state }),
    limit: query.limit,
    after,
  });
  return toPage(rows, query.limit, (v) => [v.profile.createdAt.toISOString(), v.profile.id]);
}
