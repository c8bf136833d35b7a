import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer, type Who } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    keys: Record<Who, string>;
  }
}

let server: RunningServer | null = null;

export async function setup(project: TestProject): Promise<void> {
  server = await startServer();
  project.provide('baseUrl', server.baseUrl);
  project.provide('keys', server.keys);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
