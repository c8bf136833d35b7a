import { describe, expect, it } from 'vitest';
import { isPortalOrigin, portalAddresses } from './access.ts';

describe('the portal origin check', () => {
  const publicOrigin = 'http://localhost:8080';

  it('without PUBLIC_URL: every loopback name at the address the request was sent to', () => {
    for (const [origin, host] of [
      ['http://localhost:8080', 'localhost:8080'],
      ['http://127.0.0.1:8080', '127.0.0.1:8080'],
      ['http://[::1]:8080', '[::1]:8080'],
    ] as const) {
      expect(isPortalOrigin(origin, host, publicOrigin, true), origin).toBe(true);
    }
    // Another port or name than the request's Host (a page served elsewhere, a DNS-rebound name).
    expect(isPortalOrigin('http://127.0.0.1:3000', '127.0.0.1:8080', publicOrigin, true)).toBe(false);
    expect(isPortalOrigin('http://evil.example:8080', 'evil.example:8080', publicOrigin, true)).toBe(false);
    expect(isPortalOrigin('http://10.0.0.5:8080', '10.0.0.5:8080', publicOrigin, true)).toBe(false);
    expect(isPortalOrigin('null', '127.0.0.1:8080', publicOrigin, true)).toBe(false);
    expect(portalAddresses(publicOrigin, true)).toBe('http://localhost:8080 or http://127.0.0.1:8080');
  });

  it('with PUBLIC_URL: only its origin', () => {
    expect(isPortalOrigin('http://localhost:8080', 'localhost:8080', publicOrigin, false)).toBe(true);
    expect(isPortalOrigin('http://127.0.0.1:8080', '127.0.0.1:8080', publicOrigin, false)).toBe(false);
    expect(portalAddresses('https://partners.example', false)).toBe('https://partners.example');
  });
});
