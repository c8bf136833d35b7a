import { rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, cliEnv, configHome, keyOf, start, until, type Running } from './harness.ts';

interface Forwarded {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What `listen` says on stderr once it is ready: its endpoint, address and secret. */
function readyLines(running: Running): { endpointId: string; url: string; secret: string } {
  const err = running.output.stderr;
  const endpoint = /Endpoint (\S+) receives .* at (\S+)$/m.exec(err);
  const secret = /Signing secret[^:]*: (whsec_\S+)$/m.exec(err);
  if (endpoint === null || secret === null) throw new Error(`unexpected output:\n${err}`);
  return { endpointId: endpoint[1] ?? '', url: endpoint[2] ?? '', secret: secret[1] ?? '' };
}

// `tierlink webhooks listen` against the bundled server (started with WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true),
// as the demo provider Meridian Distribution, forwarding to a receiver in the test.
describe('tierlink webhooks listen', () => {
  const xdg = configHome();
  const env = cliEnv(xdg, { TIERLINK_URL: baseUrl(), TIERLINK_API_KEY: keyOf('provider') });
  const forwarded: Forwarded[] = [];
  let target: Server;
  let targetUrl = '';

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${keyOf('provider')}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  };

  const stop = async (running: Running) => {
    running.child.kill('SIGINT');
    return running.done;
  };

  beforeAll(async () => {
    // The forward target: records what arrives and answers 202, which `listen` passes back to Tierlink.
    target = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        forwarded.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(202, { 'content-type': 'text/plain' }).end('taken');
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => target.close(() => resolve()));
    rmSync(xdg, { recursive: true, force: true });
  });

  it('forwards a verified event with its body and webhook headers, answers with the target\'s status, refuses a bad signature, and deletes its endpoint on Ctrl-C', async () => {
    const listening = start(['webhooks', 'listen', '--forward-to', targetUrl], env);
    await until(() => listening.output.stderr.includes('Ready.'), 'listen to be ready');
    const { endpointId, url, secret } = readyLines(listening);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // A change that publishes an event to the provider: it invites a reseller.
    const invited = await api<{ invitation: { id: string } }>('POST', '/api/v1/reseller-invitations', { email: 'admin@listen-reseller.example' });
    expect(invited.status).toBe(201);
    const isOurs = (f: Forwarded) => (JSON.parse(f.body) as { data: { id?: string } }).data.id === invited.body.invitation.id;
    await until(() => forwarded.some(isOurs), 'the event to be forwarded');
    const event = forwarded.find(isOurs);
    if (event === undefined) throw new Error('not forwarded');
    const id = String(event.headers['webhook-id']);
    expect(id).toMatch(/^msg_/);
    expect(event.headers['content-type']).toBe('application/json');
    // The exact body and headers: the forwarded message verifies with the endpoint's secret.
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(event.headers['webhook-timestamp']), 'webhook-signature': String(event.headers['webhook-signature']) };
    expect(new Webhook(secret).verify(event.body, headers)).toMatchObject({ type: 'invitation.created', data: { id: invited.body.invitation.id } });

    await until(() => listening.output.stdout.includes(id), 'the event line');
    expect(listening.output.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z  invitation\\.created  ${id}  → 202$`, 'm'));
    // Tierlink recorded the forward target's answer as the attempt's status.
    let statusCode: number | null = null;
    for (let tries = 0; statusCode === null && tries < 100; tries += 1) {
      const log = await api<{ items: { id: string; attempts: { statusCode: number | null }[] }[] }>('GET', `/api/v1/webhook-endpoints/${endpointId}/deliveries`);
      statusCode = log.body.items.find((d) => d.id === id)?.attempts[0]?.statusCode ?? null;
      if (statusCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statusCode).toBe(202);

    // A forged message: 400, a line on stderr, nothing forwarded.
    const before = forwarded.length;
    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' },
      body: event.body,
    });
    expect(forged.status).toBe(400);
    await until(() => listening.output.stderr.includes('msg_forged'), 'the refusal line');
    expect(listening.output.stderr).toMatch(/refused {2}msg_forged {2}400: /);
    expect(forwarded).toHaveLength(before);

    const result = await stop(listening);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Deleted endpoint ${endpointId}.`);
    expect((await api('GET', `/api/v1/webhook-endpoints/${endpointId}`)).status).toBe(404);
  });

  it('an unknown --events type is a usage error naming the known ones, and nothing is subscribed', async () => {
    const before = await api<{ items: unknown[] }>('GET', '/api/v1/webhook-endpoints');
    const result = await start(['webhooks', 'listen', '--forward-to', targetUrl, '--events', 'invitation.created,invitation.eaten'], env).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown event type "invitation.eaten"');
    expect(result.stderr).toContain('invitation.revoked');
    expect((await api<{ items: unknown[] }>('GET', '/api/v1/webhook-endpoints')).body.items).toHaveLength(before.body.items.length);
  });

  it('--json prints one object per event; an endpoint left behind at the same address is taken over with a new secret', async () => {
    // Left behind by a killed session on this fixed address.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const address = `http://127.0.0.1:${port}/`;
    const left = await api<{ endpoint: { id: string } }>('POST', '/api/v1/webhook-endpoints', { url: address, description: `tierlink webhooks listen: ${address}` });
    expect(left.status).toBe(201);
    const listening = start(['webhooks', 'listen', '--forward-to', targetUrl, '--listen', `127.0.0.1:${port}`, '--events', 'webhook.test,invitation.created', '--json'], env);
    await until(() => listening.output.stderr.includes('Ready.'), 'listen to be ready');
    const { endpointId, secret } = readyLines(listening);
    expect(endpointId).toBe(left.body.endpoint.id);
    const endpoint = await api<{ eventTypes: string[]; url: string }>('GET', `/api/v1/webhook-endpoints/${endpointId}`);
    expect(endpoint.body).toMatchObject({ url: address, eventTypes: ['webhook.test', 'invitation.created'] });

    expect((await api('POST', `/api/v1/webhook-endpoints/${endpointId}/test`)).status).toBe(202);
    await until(() => listening.output.stdout.includes('webhook.test'), 'the event line');
    const line = JSON.parse(listening.output.stdout.trim().split('\n')[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({ type: 'webhook.test', webhookId: expect.stringMatching(/^msg_/), forwardStatus: 202, forwardError: null });
    const sent = forwarded.find((f) => f.headers['webhook-id'] === line['webhookId']);
    expect(sent).toBeDefined();
    expect(secret).toMatch(/^whsec_/);

    const result = await stop(listening);
    expect(result.code).toBe(0);
    expect((await api('GET', `/api/v1/webhook-endpoints/${endpointId}`)).status).toBe(404);
  });
});
