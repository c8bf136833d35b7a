import Fastify from 'fastify';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { keysetBatches, sendCsv, type CsvCell } from './csv-response.ts';

describe('CSV exports', () => {
  it('quote what needs quoting, keep numbers, and defuse cells a spreadsheet would run as formulas', async () => {
    const app = Fastify();
    const rows: CsvCell[][] = [
      ['=HYPERLINK("https://evil.example","Open")', -5, '+1 555 0100', '@SUM(A1)', 'Contoso, "Ltd"', null],
      ['-2', 0, 'plain', '\tTabbed', 'Line\nbreak', true],
    ];
    app.get('/export', (_request, reply) =>
      sendCsv(
        reply,
        'x.csv',
        ['a', 'b', 'c', 'd', 'e', 'f'],
        (async function* () {
          yield rows;
        })(),
        (row) => row,
      ),
    );
    const answer = await app.inject({ method: 'GET', url: '/export' });
    await app.close();
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="x.csv"');
    const parsed = parse(answer.body, { columns: true }) as Record<string, string>[];
    expect(parsed).toEqual([
      { a: `'=HYPERLINK("https://evil.example","Open")`, b: '-5', c: "'+1 555 0100", d: "'@SUM(A1)", e: 'Contoso, "Ltd"', f: '' },
      { a: "'-2", b: '0', c: 'plain', d: "'\tTabbed", e: 'Line\nbreak', f: '1' },
    ]);
  });

  it('reads a keyset list to its end in batches, each after the last row of the one before', async () => {
    const all = Array.from({ length: 2500 }, (_, n) => n);
    const seen: (number | null)[] = [];
    const batches: number[][] = [];
    for await (const batch of keysetBatches<number>(async (after) => {
      seen.push(after);
      const from = after === null ? 0 : after + 1;
      return all.slice(from, from + 1001);
    })) {
      batches.push(batch);
    }
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches.flat()).toEqual(all);
    expect(seen).toEqual([null, 999, 1999]);
  });
});
