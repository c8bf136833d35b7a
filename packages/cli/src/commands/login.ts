import type { Command } from 'commander';
import { configPath, saveProfile } from '../config.ts';
import { clientFor, normalizeUrl, profileName } from '../context.ts';
import { UsageError } from '../errors.ts';
import { out, printJson } from '../output.ts';

interface LoginOptions {
  url: string;
  apiKey: string;
  json?: boolean;
}

/** `tierlink login`: checks the key against GET /api/v1/me, then stores the profile (0600). */
export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('check an API key and store it as a profile')
    .requiredOption('--url <url>', 'address of the Tierlink server, e.g. http://localhost:8080')
    .requiredOption('--api-key <key>', 'an API key (tl_…); "-" reads it from standard input')
    .option('--json', "print the API's answer to GET /api/v1/me")
    .action(async (options: LoginOptions, command: Command) => {
      const url = normalizeUrl(options.url);
      const apiKey = options.apiKey === '-' ? (await readStdin()).trim() : options.apiKey;
      if (apiKey === '') throw new UsageError('--api-key: the key is empty.');
      const me = await clientFor(url, apiKey).me();
      const profile = profileName(command);
      await saveProfile(profile, { url, apiKey });
      if (options.json === true) return printJson(me);
      const as = me.apiKey !== null ? `API key "${me.apiKey.name}"` : (me.user?.email ?? 'unknown');
      out(`Logged in to ${url} as ${as} of ${me.organization.name}.`);
      out(`Profile "${profile}" saved in ${configPath()}.`);
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
