#!/usr/bin/env node
// The `tierlink` command. The client package ships TypeScript sources, so tsx's loader is
// registered first (its transforms are cached on disk, so a start stays well under a second).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
