import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A webhook receiver on loopback for the two-node suites. It records every request with the node
 * that sent it (the process group owning the connection's other end, read from /proc: both nodes
 * connect from 127.0.0.1, so the address cannot tell them apart) and can hold its answers, so a
 * request stays open while a test looks at it or kills its sender.
 */

export interface Hit {
  id: string;
  path: string;
  /** Index of the node (in `groups`) whose process sent it; -1 when the connection was not found. */
  node: number;
  receivedAt: number;
  type: string;
  /** The event's `timestamp` (its commit) and the resource it is about. */
  timestamp: string;
  dataId: string;
  /** Answered with this status; null while held, or when the sender went away first. */
  status: number | null;
  /** The connection closed before the answer: the sender died (or gave up) while it was held. */
  abandoned: boolean;
}

/** The inode of the loopback TCP connection from `fromPort` to `toPort` (IPv4), or null. */
function socketInode(fromPort: number, toPort: number): string | null {
  const hex = (port: number) => port.toString(16).toUpperCase().padStart(4, '0');
  const local = `0100007F:${hex(fromPort)}`;
  const remote = `0100007F:${hex(toPort)}`;
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields[1] === local && fields[2] === remote) return fields[9] ?? null;
  }
  return null;
}

/** The process group of the process holding socket `inode`, searched among processes of `groups`. */
function groupHolding(inode: string, groups: readonly number[]): number | null {
  const target = `socket:[${inode}]`;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let group: number;
    try {
      // pid (comm) state ppid pgrp …: comm may contain spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
    } catch {
      continue; // gone meanwhile
    }
    if (!groups.includes(group)) continue;
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return group;
        } catch {
          // closed meanwhile
        }
      }
    } catch {
      continue;
    }
  }
  return null;
}

export class HookSink {
  readonly hits: Hit[] = [];
  /** Process group ids of the nodes, by index (ServerProcess.pid: each node leads its group). */
  groups: number[] = [];
  /** Each answer waits this long (so a backlog is claimed by both nodes). */
  delayMs = 0;
  #held: (() => void)[] = [];
  #holding = false;
  #server: Server | null = null;
  port = 0;

  static async start(): Promise<HookSink> {
    const sink = new HookSink();
    sink.#server = createServer((request, response) => sink.#handle(request, response));
    sink.#server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => sink.#server?.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.#server.address() as AddressInfo).port;
    return sink;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    // Who sent it is read now, while the connection is certainly open.
    const inode = socketInode(request.socket.remotePort ?? 0, this.port);
    const group = inode === null ? null : groupHolding(inode, this.groups);
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; timestamp: string; data: { id?: string } };
      const hit: Hit = {
        id: String(request.headers['webhook-id']),
        path: request.url ?? '',
        node: group === null ? -1 : this.groups.indexOf(group),
        receivedAt: Date.now(),
        type: body.type,
        timestamp: body.timestamp,
        dataId: body.data.id ?? '',
        status: null,
        abandoned: false,
      };
      this.hits.push(hit);
      response.on('close', () => {
        if (!response.writableFinished) hit.abandoned = true;
      });
      const answer = () => {
        if (response.destroyed) return;
        hit.status = 200;
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      };
      const later = () => (this.delayMs > 0 ? setTimeout(answer, this.delayMs) : answer());
      if (this.#holding) this.#held.push(later);
      else later();
    });
  }

  /** From now on requests are held open (unanswered) until `release()`. */
  hold(): void {
    this.#holding = true;
  }

  release(): void {
    this.#holding = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  /** Requests received per `webhook-id`. */
  copies(): Map<string, Hit[]> {
    const byId = new Map<string, Hit[]>();
    for (const hit of this.hits) byId.set(hit.id, [...(byId.get(hit.id) ?? []), hit]);
    return byId;
  }

  async close(): Promise<void> {
    this.release();
    const server = this.#server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
