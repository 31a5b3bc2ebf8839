import { describe, expect, it } from 'vitest';
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
