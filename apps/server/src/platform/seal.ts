import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption (AES-256-GCM) for data that must be stored but must not be readable
 * from a database dump: queued emails and the embedded mailbox carry invitation links.
 */
export interface Sealer {
  seal(plain: string): string;
  /** Opens with the current key, else with a previous one (a key rotation in progress). */
  open(sealed: string): string;
  /** True when only a previous key opens it: whoever reads it should seal it again. */
  sealedWithPreviousKey(sealed: string): boolean;
}

/**
 * Seals with `key`; opens with `key` or any of `previous`, so that the key can be rotated: the
 * old key moves to `previous` (SECRET_KEY_PREVIOUS) until everything sealed with it is re-sealed
 * or gone.
 */
export function createSealer(key: Buffer, previous: readonly Buffer[] = []): Sealer {
  for (const k of [key, ...previous]) if (k.length !== 32) throw new Error('the sealing key must be 32 bytes');
  const current = createKeySealer(key);
  const older = previous.map(createKeySealer);
  const tryOpen = (sealer: Sealer, sealed: string): string | null => {
    try {
      return sealer.open(sealed);
    } catch {
      return null;
    }
  };
  return {
    seal: (plain) => current.seal(plain),
    open(sealed) {
      if (older.length === 0) return current.open(sealed);
      const opened = tryOpen(current, sealed) ?? older.reduce<string | null>((found, o) => found ?? tryOpen(o, sealed), null);
      if (opened === null) throw new Error('no key opens this sealed value');
      return opened;
    },
    sealedWithPreviousKey: (sealed) => older.length > 0 && tryOpen(current, sealed) === null && older.some((o) => tryOpen(o, sealed) !== null),
  };
}

function createKeySealer(key: Buffer): Sealer {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('unknown sealed format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    sealedWithPreviousKey: () => false,
  };
}
