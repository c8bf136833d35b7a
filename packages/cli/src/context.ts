import { createApiClient, type ApiClient } from '@tierlink/client';
import type { Command } from 'commander';
import { configPath, defaultProfileName, readConfig } from './config.ts';
import { UsageError } from './errors.ts';
import { version } from './version.ts';

export interface Connection {
  api: ApiClient;
  url: string;
  profile: string;
}

/** `--profile`, else TIERLINK_PROFILE, else "default". */
export function profileName(command: Command): string {
  const fromFlag = (command.optsWithGlobals() as { profile?: string }).profile;
  return fromFlag ?? nonEmpty(process.env['TIERLINK_PROFILE']) ?? defaultProfileName;
}

/** "https://tierlink.example" from what the user typed; anything but http(s) is a usage error. */
export function normalizeUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`--url: "${input}" is not a URL (e.g. http://localhost:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url: use an http:// or https:// address, not ${url.protocol}`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function clientFor(url: string, apiKey: string): ApiClient {
  return createApiClient({ baseUrl: url, apiKey, headers: { 'user-agent': `tierlink-cli/${version}` } });
}

/** TIERLINK_URL and TIERLINK_API_KEY override the selected profile's values one by one. */
export async function connect(command: Command): Promise<Connection> {
  const profile = profileName(command);
  const stored = (await readConfig()).profiles[profile];
  const url = nonEmpty(process.env['TIERLINK_URL']) ?? stored?.url;
  const apiKey = nonEmpty(process.env['TIERLINK_API_KEY']) ?? stored?.apiKey;
  if (url === undefined || apiKey === undefined) {
    const where = stored === undefined ? `no profile "${profile}" in ${configPath()}` : `profile "${profile}" is incomplete`;
    throw new UsageError(`Not logged in (${where}). Run: tierlink login --url URL --api-key KEY${profile === defaultProfileName ? '' : ` --profile ${profile}`}`);
  }
  return { api: clientFor(normalizeUrl(url), apiKey), url: normalizeUrl(url), profile };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
