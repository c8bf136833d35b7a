// Types of system-packages.mjs for its test.
export const systemPackages: readonly { name: string; path: string }[];
export function installCommands(names: readonly string[]): string[][];
export function installHint(names: readonly string[]): string;
export function ensureSystemPackages(options?: {
  exists?: (path: string) => boolean;
  isRoot?: boolean;
  run?: (argv: string[]) => boolean;
  print?: (text: string) => void;
}): boolean;
