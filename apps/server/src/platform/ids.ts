import { randomUUID } from 'node:crypto';

/** Public identifiers are random UUIDs: never sequential, never derived from data. */
export const newId = (): string => randomUUID();
