import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { countServerErrors } from '../proof-counts.ts';
import { freePort, pause, ServerProcess, serverSettings, type ServerSettings } from '../crash/server-process.ts';

/*
 * Two real Tierlink processes on one PostgreSQL behind a small round-robin reverse proxy, as
 * docs/deployment.md describes a deployment: loopback only, the same SECRET_KEY on every node,
 * PUBLIC_URL is the proxy's address and TRUST_PROXY names the proxy, which sets X-Forwarded-For
 * to the address its client connected from (so the nodes count limits per real client).
 */

export interface Proxy {
  base: string;
  /** Requests forwarded to each upstream, by index. */
  forwarded: number[];
  /** Upstreams to use from now on (a node killed or restarted). */
  setUpstreams(bases: readonly string[]): void;
  close(): Promise<void>;
}

/** A reverse proxy on 127.0.0.1 that sends each request to the next upstream in turn. */
export async function startProxy(port: number): Promise<Proxy> {
  let upstreams: string[] = [];
  let next = 0;
  const forwarded: number[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const index = next % Math.max(1, upstreams.length);
    next += 1;
    const upstream = upstreams[index];
    if (upstream === undefined) {
      outgoing.writeHead(502).end();
      return;
    }
    forwarded[index] = (forwarded[index] ?? 0) + 1;
    const target = new URL(upstream);
    // Like nginx's `proxy_set_header X-Forwarded-For $remote_addr`: what the client sent is replaced.
    const headers: IncomingHttpHeaders = { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '' };
    const forward = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers, agent: false }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forward.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    setUpstreams(bases) {
      upstreams = [...bases];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Answer<T> {
  status: number;
  body: T;
  raw: string;
  headers: IncomingHttpHeaders;
}

/**
 * A browser or script on a chosen loopback address (any of 127.0.0.0/8), talking to any node or the
 * proxy while sending the portal's Origin (PUBLIC_URL), as a browser does whichever node answers.
 */
export class Browser {
  cookie: string | null = null;
  apiKey: string | null = null;

  constructor(
    readonly origin: string,
    readonly from = '127.0.0.1',
  ) {}

  send<T = Record<string, unknown>>(base: string, method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, base);
    const headers: Record<string, string | number> = {};
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
    if (this.apiKey !== null) headers['authorization'] = `Bearer ${this.apiKey}`;
    else if (this.cookie !== null) headers['cookie'] = this.cookie;
    if (method !== 'GET' && this.apiKey === null) headers['origin'] = this.origin;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, localAddress: this.from, agent: false, headers }, (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 500) countServerErrors(1);
          const session = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('tierlink_session='));
          if (session !== undefined) this.cookie = session.startsWith('tierlink_session=;') ? null : (session.split(';')[0] ?? null);
          let parsed: unknown = null;
          try {
            parsed = raw === '' ? null : JSON.parse(raw);
          } catch {
            parsed = null;
          }
          resolve({ status, body: parsed as T, raw, headers: res.headers });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
}

/** Polls until `done` holds, every 20 ms, for at most `ms`; returns the milliseconds it took, or null. */
export async function within(ms: number, done: () => Promise<boolean>): Promise<number | null> {
  const started = performance.now();
  for (;;) {
    if (await done()) return performance.now() - started;
    if (performance.now() - started > ms) return null;
    await pause(20);
  }
}

export interface Nodes {
  proxy: Proxy;
  nodes: ServerProcess[];
  settings: ServerSettings[];
  close(): Promise<void>;
}

/**
 * Starts `count` nodes on one database behind a proxy. `env(i)` adds variables per node (its SMTP
 * server). `together`: all at the same moment (the first start on an empty database); otherwise
 * one after the other.
 */
export async function startNodes(databaseUrl: string, count: number, options: { env?: (i: number) => Record<string, string>; together?: boolean } = {}): Promise<Nodes> {
  const proxy = await startProxy(await freePort());
  const shared = await serverSettings(databaseUrl);
  const settings: ServerSettings[] = [];
  for (let i = 0; i < count; i += 1) {
    settings.push({ ...shared, port: await freePort(), env: { PUBLIC_URL: proxy.base, TRUST_PROXY: '127.0.0.1', ...options.env?.(i) } });
  }
  const nodes: ServerProcess[] = [];
  if (options.together === true) nodes.push(...(await Promise.all(settings.map((s) => ServerProcess.start(s)))));
  else for (const s of settings) nodes.push(await ServerProcess.start(s));
  proxy.setUpstreams(nodes.map((n) => n.base));
  return {
    proxy,
    nodes,
    settings,
    async close() {
      await Promise.all(nodes.map((n) => n.kill9()));
      await proxy.close();
    },
  };
}

export interface Delivery {
  /** `<outbox id@tierlink>` */
  messageId: string;
  to: string;
  /** Which node's SMTP server accepted it. */
  node: number;
}

/**
 * One SMTP server per node on loopback, recording every message it accepted (250) with the node
 * that sent it. `hold(node)` keeps that node's next messages waiting (not accepted) until
 * `release()`; `stall(node, after)` never accepts that node's messages past its `after`-th.
 */
export class MailSink {
  readonly accepted: Delivery[] = [];
  readonly servers: SMTPServer[] = [];
  readonly urls: string[] = [];
  /** Messages a node sent that were never accepted (a stalled delivery). */
  readonly stalled: Delivery[] = [];
  #gate: Promise<void> | null = null;
  #open: () => void = () => undefined;
  #stallAfter = new Map<number, number>();

  static async start(nodes: number): Promise<MailSink> {
    const sink = new MailSink();
    for (let node = 0; node < nodes; node += 1) {
      const server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onData: (stream, _session, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', () => undefined);
          stream.on('end', () => void sink.#received(node, Buffer.concat(chunks), callback));
        },
      });
      server.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      sink.servers.push(server);
      sink.urls.push(`smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
    }
    return sink;
  }

  async #received(node: number, data: Buffer, accept: () => void): Promise<void> {
    const head = data.toString('utf8').split('\r\n\r\n')[0] ?? '';
    const header = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(head)?.[1]?.trim() ?? '';
    const delivery = { messageId: header('Message-ID'), to: header('To'), node };
    if (this.#gate !== null) await this.#gate;
    const limit = this.#stallAfter.get(node);
    if (limit !== undefined && this.accepted.filter((d) => d.node === node).length >= limit) {
      this.stalled.push(delivery);
      return; // never answered: the sender waits in DATA until it dies
    }
    this.accepted.push(delivery);
    accept();
  }

  hold(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#gate = null;
    this.#open();
  }

  /** From now on, `node`'s messages beyond `more` further accepted ones are never accepted. */
  stall(node: number, more: number): void {
    this.#stallAfter.set(node, this.accepted.filter((d) => d.node === node).length + more);
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
