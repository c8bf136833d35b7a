import { createApiClient } from '@tierlink/client';

/** The portal's one client: same origin, session cookie. */
export const api = createApiClient();
