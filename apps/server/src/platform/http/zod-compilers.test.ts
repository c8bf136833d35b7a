import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler } from './zod-compilers.ts';

describe('answers written from the route schema', () => {
  const Organization = z.object({ id: z.string(), name: z.string() });
  const Answer = z.object({
    items: z.array(z.object({ id: z.string(), reseller: Organization.nullable(), tags: z.record(z.string(), z.number()) })),
    nextCursor: z.string().nullable(),
    count: z.number().int().optional(),
  });
  const write = serializerCompiler({ schema: Answer });

  it('writes only the declared properties, at every depth', () => {
    const data = {
      items: [{ id: 'a', reseller: { id: 'r', name: 'R', secretHash: 'x' }, tags: { one: 1 }, tokenHash: 'y' }],
      nextCursor: null,
      password: 'z',
    };
    expect(JSON.parse(write(data))).toEqual({ items: [{ id: 'a', reseller: { id: 'r', name: 'R' }, tags: { one: 1 } }], nextCursor: null });
  });

  it('writes nulls, optional properties and escaping as JSON.stringify does', () => {
    const data = { items: [{ id: '"\u2028\\', reseller: null, tags: {} }], nextCursor: 'c', count: 3 };
    expect(write(data)).toBe(JSON.stringify(data));
  });

  it('refuses an answer that lacks a required property (a presenter bug answers 500)', () => {
    expect(() => write({ items: [] })).toThrow(/nextCursor/);
  });
});
