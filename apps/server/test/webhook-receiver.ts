import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  id: string;
  path: string;
  timestamp: string;
  signature: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: { type: string; timestamp: string; data: Record<string, unknown>; organizationId: string; actor: unknown };
}

/**
 * A webhook receiver on loopback: records every POST and answers what `respond` says (200 by
 * default). `url(path)` is an address on it.
 */
export interface Receiver {
  received: Received[];
  respond: (message: Received) => number;
  url(path?: string): string;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    received: [],
    respond: () => 200,
    url: () => '',
    close: async () => undefined,
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const message: Received = {
        id: String(request.headers['webhook-id']),
        path: request.url ?? '',
        timestamp: String(request.headers['webhook-timestamp']),
        signature: String(request.headers['webhook-signature']),
        headers: request.headers,
        body,
        json: JSON.parse(body) as Received['json'],
      };
      receiver.received.push(message);
      const status = receiver.respond(message);
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `no thanks (${status})` : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = (path = '/hook') => `http://127.0.0.1:${port}${path}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}
