import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Why an address is no place to send a request to from the server (server-side request forgery):
 * anything but a public unicast address — loopback, RFC 1918 private, link-local (169.254/16,
 * fe80::/10, cloud metadata), unique-local (fc00::/7), multicast, unspecified, reserved, carrier NAT.
 * Null when it is public.
 */
export function refusedAddress(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

export class OutboundRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface OutboundPolicy {
  /** Development and tests: plain http and private addresses are allowed. */
  allowPrivateNetworks: boolean;
}

/** Why a URL may not be a target, checked before any connection (scheme, literal address); null when it may. */
export function refusedUrl(url: URL, policy: OutboundPolicy): string | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'only https addresses';
  if (policy.allowPrivateNetworks) return null;
  if (url.protocol !== 'https:') return 'only https addresses';
  if (url.username !== '' || url.password !== '') return 'no credentials in the address';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    const refused = refusedAddress(host);
    return refused === null ? null : `the address is ${refused}`;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) return 'the address is loopback';
  return null;
}

/** Resolves a host name and refuses it when any of its addresses is not public. */
export async function refusedHost(url: URL, policy: OutboundPolicy): Promise<string | null> {
  const early = refusedUrl(url, policy);
  if (early !== null || policy.allowPrivateNetworks) return early;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return null;
  try {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
    );
    for (const a of addresses) {
      const refused = refusedAddress(a.address);
      if (refused !== null) return `${host} resolves to a ${refused} address`;
    }
    return addresses.length === 0 ? `${host} does not resolve` : null;
  } catch {
    return `${host} does not resolve`;
  }
}

/**
 * A DNS lookup that refuses the whole host when any of its addresses is not public. The socket
 * connects to the address this returns, so a name that resolves differently a moment later (DNS
 * rebinding) cannot slip a private address in.
 */
function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      if (!policy.allowPrivateNetworks) {
        for (const a of list) {
          const refused = refusedAddress(a.address);
          if (refused !== null) return callback(new OutboundRefused(`${hostname} resolves to a ${refused} address`), '', 0);
        }
      }
      const first = list[0];
      if (first === undefined) return callback(new Error(`${hostname} does not resolve`), '', 0);
      if (options.all === true) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      return callback(null, first.address, first.family);
    });
  };
}

export interface PostResult {
  status: number;
  /** The first `maxBody` bytes of the answer, as text. */
  body: string;
  durationMs: number;
}

/**
 * POSTs `body` with the given headers: no redirect is followed, the whole exchange is bounded by
 * `timeoutMs`, and the connected address is checked again (literal or resolved) against the policy.
 * Throws OutboundRefused for a refused target, another Error for network failures and time-outs.
 */
export function postGuarded(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: OutboundPolicy & { timeoutMs: number; maxBody: number },
): Promise<PostResult> {
  const refused = refusedUrl(url, options);
  if (refused !== null) return Promise.reject(new OutboundRefused(refused));
  const started = performance.now();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options),
        agent: false,
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < options.maxBody) chunks.push(chunk.subarray(0, options.maxBody - size));
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), durationMs: Math.round(performance.now() - started) }),
        );
        response.on('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('socket', (socket) => {
      socket.on('connect', () => {
        // The address really connected to: a literal, or what the guarded lookup chose.
        const remote = socket.remoteAddress;
        const refusedRemote = remote === undefined || options.allowPrivateNetworks ? null : refusedAddress(remote);
        if (refusedRemote !== null) request.destroy(new OutboundRefused(`the address is ${refusedRemote}`));
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}
