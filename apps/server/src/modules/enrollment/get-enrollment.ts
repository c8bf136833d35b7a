import { notFound } from '../../platform/errors.ts';
import type { Executor } from '../../db/database.ts';
import { findEnrollmentView, type EnrollmentView } from './enrollment.repository.ts';

/** A partner profile with its organization's name, as the enrollment answers show it. */
export async function getEnrollment(ctx: { tx: Executor }, id: string): Promise<EnrollmentView> {
  const found = await findEnrollmentView(ctx.tx, id);
  if (found === undefined) throw notFound('enrollment');
  return found;
}
