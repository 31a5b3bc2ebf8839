import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvCell, toCsv } from './csv';

describe('csv', () => {
  it('leaves plain cells alone and quotes commas, quotes and line breaks', () => {
    expect(csvCell('AAPL')).toBe('AAPL');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('keeps a spreadsheet from running a cell as a formula, but not a negative number', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell('+1+cmd|x')).toBe("'+1+cmd|x");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('+3')).toBe('+3');
  });

  it('writes a header and a line per row, CRLF-separated', () => {
    const rows = [
      { id: 't1', note: 'a, b' },
      { id: 't2', note: '=1+1' },
    ];
    expect(toCsv([{ header: 'id', value: (r: (typeof rows)[number]) => r.id }, { header: 'note', value: (r) => r.note }], rows)).toBe('id,note\r\nt1,"a, b"\r\nt2,\'=1+1\r\n');
  });
});

/** Reads CSV back the way RFC 4180 writes it: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(quoted).toBe(false);
  expect(cell).toBe('');
  expect(record).toEqual([]);
  return records;
}

describe('csv read back', () => {
  // Text with what CSV must escape and what a spreadsheet would run, mixed with plain characters.
  const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', '1', '.', ' ', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', "'"), maxLength: 12 });
  const cell = fc.oneof(tricky, fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
  const isNumberText = (text: string) => /^[+-]?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text);

  it('parses back to every cell as written, a formula-looking text behind one leading quote', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 8 }), (rows) => {
        const columns = [0, 1, 2].map((i) => ({ header: `c${i}`, value: (row: (typeof rows)[number]) => row[i as 0 | 1 | 2] }));
        const parsed = parseCsv(toCsv(columns, rows));
        expect(parsed[0]).toEqual(['c0', 'c1', 'c2']);
        expect(parsed).toHaveLength(rows.length + 1);
        rows.forEach((row, r) => {
          row.forEach((value, c) => {
            const text = value === null ? '' : String(value);
            const guarded = typeof value !== 'number' && /^[=+\-@\t\r]/.test(text) && !isNumberText(text);
            expect(parsed[r + 1]![c]).toBe(guarded ? `'${text}` : text);
          });
        });
      }),
      { numRuns: 100, seed: 15 },
    );
  });

  it('never leaves a cell a spreadsheet would read as a formula', () => {
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 6 }), (cells) => {
        const [parsed] = parseCsv(toCsv(cells.map((_, i) => ({ header: `c${i}`, value: (row: string[]) => row[i] })), [cells])).slice(1);
        for (const text of parsed!) expect(/^[=+\-@\t\r]/.test(text) && !isNumberText(text)).toBe(false);
      }),
      { numRuns: 100, seed: 16 },
    );
  });
});
