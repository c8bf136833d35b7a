// The JavaScript a first visit loads before the portal can render: the entry script of
// dist/index.html and every module it preloads (pages load later, when visited), gzipped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');

/** Files and gzip sizes (level 9, as a server or CDN would send them) of the initial JavaScript. */
export interface InitialJavaScript {
  files: { file: string; bytes: number; gzip: number }[];
  bytes: number;
  gzip: number;
}

export function initialJavaScript(distDir = dist): InitialJavaScript {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].flatMap((m) => (m[1] === undefined ? [] : [m[1]]));
  const files = [...new Set(refs)].map((ref) => {
    const body = readFileSync(path.join(distDir, ref.replace(/^\//, '')));
    return { file: ref, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0), bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, gzip, bytes } = initialJavaScript();
  for (const f of files.sort((a, b) => b.gzip - a.gzip)) console.log(`${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip  ${f.file}`);
  console.log(`initial JavaScript: ${files.length} files, ${(bytes / 1024).toFixed(0)} KB, ${(gzip / 1024).toFixed(1)} KB gzip`);
}
