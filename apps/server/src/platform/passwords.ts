import { hash, verify } from '@node-rs/argon2';

// OWASP ASVS appendix C: argon2id, m ≥ 46 MiB, t = 1, p = 1 (algorithm 2 = argon2id).
const options = { algorithm: 2, memoryCost: 47_104, timeCost: 1, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the same work as a real check, so unknown accounts answer as slowly as known ones. */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummy ??= hashPassword('tierlink-timing-equalizer');
  await verifyPassword(await dummy, password);
}
