import type { Actor } from '../../platform/actor.ts';

/** The channel the database NOTIFYs on when something an API key resolves to changes (migration 0008). */
export const credentialsChannel = 'tierlink_credentials';

export interface CachedApiKey {
  actor: Actor;
  lastUsedAt: Date | null;
}

export interface ApiKeyCache {
  /** A resolved key, or undefined: not cached, or the cache cannot be trusted right now. */
  get(secretHash: string, now: Date): CachedApiKey | undefined;
  /** Resolves through `load` and keeps the answer unless the cache was flushed meanwhile. */
  load(secretHash: string, now: Date, load: () => Promise<CachedApiKey | null>): Promise<CachedApiKey | null>;
  /** Forgets everything: a change that may alter what a key resolves to has committed. */
  flush(): void;
  /** False while notifications may be missed (no LISTEN connection): the cache is then bypassed. */
  setReady(ready: boolean): void;
}

export interface ApiKeyCacheOptions {
  maxEntries: number;
  /** A bound on staleness should a notification never arrive (e.g. a change made by hand with triggers off). */
  ttlMs: number;
}

/**
 * API key → actor in memory, so that an API read costs no lookup. It is exact only because every
 * change that alters what a key resolves to flushes it: the database NOTIFYs on such changes (a
 * trigger on api_keys, organizations and partner_profiles, so no code path can forget), every
 * instance LISTENs; and this instance also flushes synchronously after each of its own write
 * commits, so its next request never sees what it has just revoked. Another instance stops using
 * a revoked key when the notification reaches it (milliseconds after the commit).
 */
export function createApiKeyCache(options: ApiKeyCacheOptions): ApiKeyCache {
  const entries = new Map<string, CachedApiKey & { cachedAt: number }>();
  let ready = false;
  // Bumped by every flush: a lookup that began before a flush must not store what it read.
  let generation = 0;

  const flush = () => {
    generation += 1;
    entries.clear();
  };

  return {
    get(secretHash, now) {
      if (!ready) return undefined;
      const entry = entries.get(secretHash);
      if (entry === undefined) return undefined;
      if (now.getTime() - entry.cachedAt > options.ttlMs) {
        entries.delete(secretHash);
        return undefined;
      }
      return entry;
    },
    async load(secretHash, now, load) {
      const began = generation;
      const found = await load();
      if (found !== null && ready && began === generation) {
        if (entries.size >= options.maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done !== true) entries.delete(oldest.value);
        }
        entries.set(secretHash, { ...found, cachedAt: now.getTime() });
      }
      return found;
    },
    flush,
    setReady(next) {
      flush();
      ready = next;
    },
  };
}
