// The limit baseline behind a bare Fastify route: the hand-written statements of `limit-sql.ts` on a
// pool of the app's size (10): API-key scenarios name their tenant in the request (the app's keys
// are cached), the acceptance sends its session's secret; no ORM, no response schema. PostgreSQL
// only. Env: PORT, DATABASE_URL. Prints `{"address":…}` once it listens.
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';
import { limitAccept, limitConnectionOptions, limitGet, limitList, limitOrder, limitPatch, type LimitAnswer, type LimitOrderInput } from './limit-sql.ts';

const databaseUrl = process.env['DATABASE_URL'];
if (databaseUrl === undefined) throw new Error('DATABASE_URL is required');
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, options: limitConnectionOptions });

async function withClient(work: (client: pg.PoolClient) => Promise<LimitAnswer>): Promise<LimitAnswer> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

const app = Fastify({ logger: false });
const answer = (reply: { code: (n: number) => { send: (body: unknown) => unknown } }, result: LimitAnswer) => reply.code(result.status).send(result.body);

app.get<{ Querystring: { partner: string; name?: string; id?: string } }>('/limit/customers', async (request, reply) => {
  const { partner, name, id } = request.query;
  return answer(reply, await withClient((c) => limitList(c, { partnerId: partner, after: name === undefined || id === undefined ? null : { name, id }, limit: 50 })));
});
app.get<{ Params: { id: string }; Querystring: { partner: string } }>('/limit/customers/:id', async (request, reply) =>
  answer(reply, await withClient((c) => limitGet(c, { partnerId: request.query.partner, customerId: request.params.id }))),
);
app.post<{ Params: { id: string }; Body: { token: string; session: string } }>('/limit/invitations/:id/accept', async (request, reply) =>
  answer(reply, await withClient((c) => limitAccept(c, { ...request.body, clientAddress: request.ip, invitationId: request.params.id, requestId: randomUUID() }))),
);
app.post<{ Body: Omit<LimitOrderInput, 'requestId'> }>('/limit/orders', async (request, reply) =>
  answer(reply, await withClient((c) => limitOrder(c, { ...request.body, requestId: randomUUID() }))),
);
app.patch<{ Params: { id: string }; Body: { partnerId: string; customerId: string; version: number; quantity: number; apiKeyId: string } }>(
  '/limit/subscriptions/:id',
  async (request, reply) => answer(reply, await withClient((c) => limitPatch(c, { ...request.body, subscriptionId: request.params.id, requestId: randomUUID() }))),
);

const address = await app.listen({ port: Number(process.env['PORT'] ?? '0'), host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ address })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}
