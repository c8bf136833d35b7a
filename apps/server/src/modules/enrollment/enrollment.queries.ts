import type { z } from 'zod';
import type { Enrollment } from '@tierlink/contract';
import type { Executor } from '../../db/database.ts';
import { presentEnrollment } from './enrollment.presenter.ts';
import { findEnrollmentView } from './enrollment.repository.ts';

// Public reads of enrollments: other modules call these through index.ts.

/** The enrollment (partner profile) as the API presents it; null when there is none. */
export async function presentEnrollmentById(db: Executor, id: string): Promise<z.infer<typeof Enrollment> | null> {
  const view = await findEnrollmentView(db, id);
  return view === undefined ? null : presentEnrollment(view);
}
