import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.ts';

export interface Profile {
  url: string;
  apiKey: string;
}

export interface ConfigFile {
  profiles: Record<string, Profile>;
}

export const defaultProfileName = 'default';

/** `$XDG_CONFIG_HOME/tierlink`, `~/.config/tierlink` without it (XDG Base Directory spec). */
export function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CONFIG_HOME'];
  // The spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.config');
  return path.join(base, 'tierlink');
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDirectory(env), 'config.json');
}

export async function readConfig(file = configPath()): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not valid JSON; fix it or run tierlink login again after removing it.`);
  }
  return { profiles: profilesOf(parsed) };
}

function profilesOf(value: unknown): Record<string, Profile> {
  const profiles: Record<string, Profile> = {};
  if (typeof value !== 'object' || value === null) return profiles;
  const raw = (value as { profiles?: unknown }).profiles;
  if (typeof raw !== 'object' || raw === null) return profiles;
  for (const [name, entry] of Object.entries(raw)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { url, apiKey } = entry as Record<string, unknown>;
    if (typeof url === 'string' && typeof apiKey === 'string') profiles[name] = { url, apiKey };
  }
  return profiles;
}

/**
 * The file holds API keys: the directory is 0700 and the file 0600, set explicitly (the umask
 * may be looser). It is written beside itself and renamed, so a crash never leaves half a file.
 */
export async function saveProfile(name: string, profile: Profile, file = configPath()): Promise<void> {
  const config = await readConfig(file);
  config.profiles[name] = profile;
  const directory = path.dirname(file);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}
