import { describe, expect, it } from 'vitest';
import { initialJavaScript } from '../scripts/initial-js.ts';

// The suite runs on the production build (global setup builds it), so this reads what users get.
describe('the portal bundle', () => {
  it('loads at most 300 KB of gzipped JavaScript before the first page renders', () => {
    const { gzip, files } = initialJavaScript();
    expect(files.length).toBeGreaterThan(0);
    expect(gzip).toBeLessThanOrEqual(300 * 1024);
  });
});
