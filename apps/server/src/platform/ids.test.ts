import { describe, expect, it } from 'vitest';
import { newId, newTimeOrderedId } from './ids.ts';

describe('identifiers', () => {
  it('newId is a random UUIDv4', () => {
    const ids = Array.from({ length: 100 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(100);
  });

  it('newTimeOrderedId is a UUIDv7 whose first 48 bits are the time in ms, increasing in the order made', () => {
    const before = Date.now();
    const ids = Array.from({ length: 1000 }, () => newTimeOrderedId());
    const after = Date.now();
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Monotonic within the process, even within one millisecond: text order is creation order.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    const ms = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms(ids[0] ?? '')).toBeGreaterThanOrEqual(before);
    expect(ms(ids.at(-1) ?? '')).toBeLessThanOrEqual(after + 1);
  });
});
