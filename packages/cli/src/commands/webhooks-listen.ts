import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isApiError, type ApiClient, type EventTypeInfo } from '@tierlink/client';
import { InvalidArgumentError, type Command } from 'commander';
import { Webhook } from 'standardwebhooks';
import { connect } from '../context.ts';
import { UsageError } from '../errors.ts';
import { note, out, paint, printProblem, when } from '../output.ts';

interface Options {
  forwardTo: string;
  listen: { host: string; port: number };
  publicUrl?: string;
  events?: string[];
  json?: boolean;
}

/** Requests larger than this are refused (413): Tierlink's messages are a few kilobytes. */
const maxBodyBytes = 1024 * 1024;
/** Tierlink gives an attempt 10 s; the forward must answer before the server gives up. */
const forwardTimeoutMs = 9000;
/** How much of the forward target's answer goes back to the server (its delivery log keeps 2 KB). */
const answerBytes = 2048;
/** The Standard Webhooks headers, passed on unchanged. */
const webhookHeaders = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

const httpUrl = (flag: string) => (value: string) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`${flag} takes an http:// or https:// address.`);
  return url.toString();
};

/** `HOST:PORT`, `[IPv6]:PORT`; port 0 picks a free one. */
function listenAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value.trim());
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new InvalidArgumentError(`"${value}" is not HOST:PORT (e.g. 127.0.0.1:0).`);
  return { host: match[1] ?? match[2] ?? '', port };
}

const eventList = (value: string): string[] => value.split(',').map((t) => t.trim()).filter((t) => t !== '');

type EventTypeName = EventTypeInfo['name'];

/** The asked-for event types, checked against the server's catalog (an unknown one is a usage error). */
async function eventTypesOf(api: ApiClient, asked: readonly string[] | undefined): Promise<EventTypeName[]> {
  if (asked === undefined || asked.length === 0) return [];
  const known = (await api.listEventTypes()).items.map((t) => t.name);
  return asked.map((name) => {
    const found = known.find((k) => k === name);
    if (found === undefined) throw new UsageError(`--events: unknown event type "${name}"; the server knows ${known.join(', ')}`);
    return found;
  });
}

/**
 * `tierlink webhooks listen`: a local listener subscribed as a webhook endpoint of the caller's
 * organization. Each message is checked against the endpoint's secret, forwarded (body and webhook
 * headers unchanged) and the forward target's status is Tierlink's answer. Ctrl-C deletes the
 * endpoint.
 */
export function registerWebhooksListen(webhooks: Command): void {
  webhooks
    .command('listen')
    .description("receive your organization's events on a local listener and forward them to --forward-to, until Ctrl-C")
    .requiredOption('--forward-to <url>', 'where each verified event is POSTed (body and webhook-* headers unchanged)', httpUrl('--forward-to'))
    .option('--listen <host:port>', 'where the listener listens', listenAddress, { host: '127.0.0.1', port: 0 })
    .option('--public-url <url>', "the address Tierlink sends to (default: the listener's own; needs WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true on the server)", httpUrl('--public-url'))
    .option('--events <types>', 'comma-separated event types (default: every type)', eventList)
    .option('--json', 'print one JSON object per event')
    .action(async (options: Options, command: Command) => {
      const { api } = await connect(command);
      await listen(api, options, await eventTypesOf(api, options.events));
    });
}

async function listen(api: ApiClient, options: Options, eventTypes: EventTypeName[]): Promise<void> {
  let secret = '';
  const server = createServer((request, response) => void receive(request, response, secret, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const publicUrl = options.publicUrl ?? `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  // The endpoint this command made (or one a killed session left at the same address): found again by its description.
  const marker = `tierlink webhooks listen: ${publicUrl}`;
  let endpointId: string;
  try {
    const existing = (await api.listWebhookEndpoints()).items.find((e) => e.description === marker);
    if (existing === undefined) {
      const created = await api.createWebhookEndpoint({ body: { url: publicUrl, description: marker, eventTypes } });
      [endpointId, secret] = [created.endpoint.id, created.secret];
    } else {
      await api.updateWebhookEndpoint({ id: existing.id, body: { url: publicUrl, eventTypes, enabled: true } });
      // Its secret was shown once, long ago: a new one (the old one also signs for a day).
      const rotated = await api.rotateWebhookSecret({ id: existing.id });
      [endpointId, secret] = [existing.id, rotated.secret];
    }
  } catch (error) {
    await close(server);
    if (isApiError(error) && error.code === 'webhook_url_not_allowed') {
      printProblem(
        error,
        `hint: the server sends only to public https addresses unless it runs with WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true;\n` +
          `      pass --public-url with an https address that reaches ${publicUrl} (a tunnel).`,
      );
      process.exitCode = 1;
      return;
    }
    throw error;
  }

  note(`Endpoint ${endpointId} receives ${eventTypes.length === 0 ? 'every event type' : eventTypes.join(', ')} at ${publicUrl}`);
  note(`Listening on ${address}:${port}, forwarding to ${options.forwardTo}`);
  note(`Signing secret (the forwarded messages are signed with it): ${secret}`);
  note('Ready. Ctrl-C deletes the endpoint and stops.');

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close(server);
  await api.deleteWebhookEndpoint({ id: endpointId });
  note(`Deleted endpoint ${endpointId}.`);
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function receive(request: IncomingMessage, response: ServerResponse, secret: string, options: Options): Promise<void> {
  const receivedAt = new Date().toISOString();
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) {
      response.writeHead(413).end();
      request.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  const header = (name: string): string => {
    const value = request.headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  const id = header('webhook-id');
  let event: { type?: unknown; timestamp?: unknown };
  try {
    if (secret === '') throw new Error('not ready yet');
    event = new Webhook(secret).verify(body.toString('utf8'), Object.fromEntries(webhookHeaders.map((h) => [h, header(h)]))) as typeof event;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    response.writeHead(400, { 'content-type': 'text/plain' }).end(`signature refused: ${reason}\n`);
    note(`${when(receivedAt)}  ${paint(process.stderr, 'red', 'refused')}  ${id === '' ? '(no webhook-id)' : id}  400: ${reason}`);
    return;
  }
  const type = typeof event.type === 'string' ? event.type : '?';
  let status: number | null = null;
  let forwardError: string | null = null;
  try {
    const forwarded = await fetch(options.forwardTo, {
      method: 'POST',
      headers: { 'content-type': header('content-type') || 'application/json', ...Object.fromEntries(webhookHeaders.map((h) => [h, header(h)])) },
      body,
      signal: AbortSignal.timeout(forwardTimeoutMs),
    });
    status = forwarded.status;
    const answer = Buffer.from(await forwarded.arrayBuffer()).subarray(0, answerBytes);
    response.writeHead(status, { 'content-type': forwarded.headers.get('content-type') ?? 'text/plain' }).end(answer);
  } catch (error) {
    forwardError = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    // The server logs the attempt as failed and retries it later.
    response.writeHead(502, { 'content-type': 'text/plain' }).end(`forwarding failed: ${forwardError}\n`);
  }
  if (options.json === true) {
    out(JSON.stringify({ receivedAt, type, webhookId: id, timestamp: event.timestamp ?? null, forwardStatus: status, forwardError }));
  } else {
    const outcome = status !== null ? paint(process.stdout, status < 300 ? 'green' : 'yellow', String(status)) : paint(process.stdout, 'red', `failed (${forwardError ?? ''}), answered 502`);
    out(`${when(receivedAt)}  ${type}  ${id}  → ${outcome}`);
  }
}
