import { notFound } from '../../platform/errors.ts';
import type { UseCaseContext } from '../../platform/unit-of-work.ts';
import { findEndpoint, listEndpointRows, type EndpointRow } from './webhooks.repository.ts';

export function listEndpoints(ctx: UseCaseContext): Promise<EndpointRow[]> {
  return listEndpointRows(ctx.tx, ctx.actor.organizationId);
}

/** One of the caller's endpoints; another organization's id answers 404. */
export async function getEndpoint(ctx: UseCaseContext, id: string): Promise<EndpointRow> {
  const endpoint = await findEndpoint(ctx.tx, ctx.actor.organizationId, id);
  if (endpoint === undefined) throw notFound('webhook endpoint');
  return endpoint;
}
