import type { FastifyInstance } from 'fastify';
import { problemOf, sendProblem } from './problem.ts';

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * OPTIONS is answered for every path at once, before a body is read: 204 with `Allow` naming the
 * methods the path has (RFC 9110 §9.3.7), or 404 problem+json for a path without routes. There is
 * no CORS: the portal is served from the API's own origin, so no preflight is expected.
 */
export function answerOptions(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS') return;
    const path = request.url.split('?')[0] ?? '';
    // The portal's catch-all (`/*`) never serves /api paths.
    const api = path.startsWith('/api/');
    const allowed = methods.filter((method) => {
      const route = app.findRoute({ method, url: path });
      return route !== null && !(api && '*' in route.params);
    });
    if (allowed.length === 0) return sendProblem(reply, problemOf('not_found', request.id, 'No such route.'));
    return reply.code(204).header('Allow', [...allowed, 'OPTIONS'].join(', ')).send();
  });
}
