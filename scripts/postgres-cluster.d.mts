// Types of postgres-cluster.mjs for the TypeScript tests that start a cluster of their own.
export interface Cluster {
  /** Admin connection string (user postgres, database postgres). */
  url: string;
  dataDir: string;
  bin: string;
  /** Stops the cluster and removes its files. */
  stop(): void;
  /** `pg_ctl stop -m immediate`: a crash; the files stay. */
  crash(): void;
  /** Starts the cluster again on the same port and data (after `crash`). */
  start(): void;
}

export function findPostgresBin(): string | null;
export function startCluster(): Promise<Cluster>;
