import { describe, expect, it } from 'vitest';
import { extractBlocks, headingAnchors, jsonShapeProblems, namedPaths, parseMarker, parseShell, relativeLinks, textShapeProblems, treePaths } from './docs-blocks';

describe('extractBlocks', () => {
  it('reads each fenced block with its language, line and the marker above it', () => {
    const text = ['# t', '', '<!-- check: run -->', '', '```ts', 'const a = 1;', '```', '', '~~~sh', 'npm test', '~~~'].join('\n');
    const { blocks, indented } = extractBlocks('x.md', text);
    expect(blocks).toEqual([
      { file: 'x.md', line: 5, lang: 'ts', code: 'const a = 1;\n', marker: 'run' },
      { file: 'x.md', line: 9, lang: 'sh', code: 'npm test\n', marker: undefined },
    ]);
    expect(indented).toEqual([]);
  });

  it('keeps a shorter fence inside a longer one as content', () => {
    const { blocks } = extractBlocks('x.md', ['````text', '```ts', 'x', '```', '````'].join('\n'));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.code).toBe('```ts\nx\n```\n');
  });

  it('reports an indented code block after a paragraph, not a list item continued', () => {
    const text = ['A paragraph.', '', '    some code', '', '- a list item', '', '    more of the item', '- another', '  continued'].join('\n');
    expect(extractBlocks('x.md', text).indented).toEqual([3]);
  });
});

describe('parseMarker', () => {
  it('accepts each check on the languages it is for', () => {
    expect(parseMarker('run', 'ts')).toEqual({ kind: 'run', refusals: false });
    expect(parseMarker('run refusals', 'ts')).toEqual({ kind: 'run', refusals: true });
    expect(parseMarker('run', 'sh')).toEqual({ kind: 'run', refusals: false });
    expect(parseMarker('typecheck same-as shared/index.ts', 'ts')).toEqual({ kind: 'typecheck', sameAs: 'shared/index.ts' });
    expect(parseMarker('commands', 'bash')).toEqual({ kind: 'commands' });
    expect(parseMarker('output-of previous', 'json')).toEqual({ kind: 'output-of-previous' });
    expect(parseMarker('tree', 'text')).toEqual({ kind: 'tree' });
    expect(parseMarker('checked-by server/test/client-package.test.ts', 'ts')).toEqual({ kind: 'checked-by', test: 'server/test/client-package.test.ts' });
    expect(parseMarker('illustrative a diagram of the flow', 'text')).toEqual({ kind: 'illustrative', reason: 'a diagram of the flow' });
  });

  it('refuses unknown checks, wrong languages, bad arguments and a reason-less illustration', () => {
    for (const [marker, lang] of [
      ['runs', 'ts'],
      ['run', 'text'],
      ['run refusals', 'sh'],
      ['typecheck', 'sh'],
      ['commands', 'ts'],
      ['output-of next', 'text'],
      ['tree', 'sh'],
      ['checked-by', 'ts'],
      ['checked-by docs/client.md', 'ts'],
      ['illustrative', 'text'],
      ['illustrative a diagram', 'text'],
    ] as const) {
      expect(typeof parseMarker(marker, lang), `${marker} on ${lang}`).toBe('string');
    }
  });
});

describe('parseShell', () => {
  it('splits variables, words, quotes, comments and separators', () => {
    expect(parseShell(`FC_SEED=<seed> npx vitest run a.test.ts -t '<property name>'   # replay\nredis-server --port 6379 &\nnpm ci && npm test`)).toEqual([
      { env: [{ name: 'FC_SEED', value: '<seed>' }], words: ['npx', 'vitest', 'run', 'a.test.ts', '-t', '<property name>'] },
      { env: [], words: ['redis-server', '--port', '6379'] },
      { env: [], words: ['npm', 'ci'] },
      { env: [], words: ['npm', 'test'] },
    ]);
  });

  it('keeps a # inside a word or quotes and joins continued lines', () => {
    expect(parseShell(`npm run desk -- call alerts.dismiss '{"id":"a#1"}' \\\n  --timeout 5s`)).toEqual([
      { env: [], words: ['npm', 'run', 'desk', '--', 'call', 'alerts.dismiss', '{"id":"a#1"}', '--timeout', '5s'] },
    ]);
  });

  it('refuses an unclosed quote', () => {
    expect(() => parseShell(`echo 'oops`)).toThrow(/unclosed/);
  });
});

describe('output shapes', () => {
  it('takes numbers in sample text for any number and the rest literally', () => {
    const sample = '#1764590000000001 bought 10 AAPL at 188.47\n#1764590000000002 MSFT 414.26';
    expect(textShapeProblems(sample, '#17 bought 10 AAPL at 190\n#18 MSFT 1,414.5\n#19 MSFT 2')).toEqual([]);
    expect(textShapeProblems(sample, '#17 sold 10 AAPL at 190\n#18 MSFT 1')).toEqual(['output line "#17 sold 10 AAPL at 190" has the shape of no sample line', 'sample line "#1764590000000001 bought 10 AAPL at 188.47" matches no output line']);
  });

  it('compares JSON by keys and value types', () => {
    expect(jsonShapeProblems({ a: 1, b: [{ c: 'x' }] }, { a: 2, b: [{ c: 'y' }, { c: 'z' }] })).toEqual([]);
    expect(jsonShapeProblems({ a: 1, b: [{ c: 'x' }] }, { a: '2', b: [{ d: 1 }], e: null })).toEqual([
      '$.a: the sample has number, the output string',
      '$.b[0].c: in the sample, not in the output',
      '$.b[0].d: in the output, not in the sample',
      '$.e: in the output, not in the sample',
    ]);
  });
});

describe('treePaths', () => {
  it('reads folders and files under each top folder, skipping descriptions', () => {
    const tree = ['shared/   schemas, the client', 'server/   hub/ (topics, replay), store/,', '          app.ts (one port), main.ts', 'web/      the dashboard'].join('\n');
    expect(treePaths(tree)).toEqual(['shared/', 'server/', 'server/hub/', 'server/store/', 'server/app.ts', 'server/main.ts', 'web/']);
  });
});

describe('prose checks', () => {
  const text = ['See `server/app.ts`, `shared/node`, `crash.test.ts`, `docs/*.md` and `<file>.ts`.', '```ts', 'import x from `server/nope.ts`;', '```', 'Read [the API](api.md#errors), [this](#a-b), [web](https://x.org/y) and `[not](code.md)`.', '## A: b', '## Fan-out, fast', '## Fan-out, fast'].join('\n');

  it('finds the paths inline code names, outside code blocks', () => {
    expect(namedPaths(text)).toEqual([
      { path: 'server/app.ts', bare: false, line: 1 },
      { path: 'shared/node', bare: false, line: 1 },
      { path: 'crash.test.ts', bare: true, line: 1 },
    ]);
  });

  it('finds relative links with their anchors', () => {
    expect(relativeLinks(text)).toEqual([
      { target: 'api.md', anchor: 'errors', line: 5 },
      { target: '', anchor: 'a-b', line: 5 },
    ]);
  });

  it("names headings' anchors as GitHub does", () => {
    expect([...headingAnchors(text)]).toEqual(['a-b', 'fan-out-fast', 'fan-out-fast-1']);
  });
});
