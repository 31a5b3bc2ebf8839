/**
 * Reading the code blocks of the Markdown docs and the checks they are marked for. Pure: no file
 * system, no processes; `docs-examples.test.ts` does the checking. The convention is documented in
 * docs/operations.md (*Tests*, "Code blocks in the docs").
 */

/** What a block is checked for, from the `<!-- check: … -->` comment just above it. */
export type BlockCheck =
  | { kind: 'run'; refusals: boolean }
  | { kind: 'typecheck'; sameAs: string | undefined }
  | { kind: 'commands' }
  | { kind: 'output-of-previous' }
  | { kind: 'tree' }
  | { kind: 'checked-by'; test: string }
  | { kind: 'illustrative'; reason: string };

/** One fenced code block of a Markdown file. */
export interface DocBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The marker's text after `check:`, or undefined when the block has none. */
  marker: string | undefined;
}

/** Where a block is, for messages: `docs/client.md:8`. */
export const where = (block: Pick<DocBlock, 'file' | 'line'>) => `${block.file}:${block.line}`;

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const MARKER = /^\s*<!--\s*check:\s*(.*?)\s*-->\s*$/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

/**
 * The fenced code blocks of a Markdown text, each with the marker comment on the nearest non-blank
 * line above its fence. Indented code blocks are reported in `indented` (by line): the convention
 * has no way to mark them, so the docs use fences only.
 */
export function extractBlocks(file: string, text: string): { blocks: DocBlock[]; indented: number[] } {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  const indented: number[] = [];
  let previous = '';
  let beforePrevious = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE.exec(line);
    if (open) {
      const fence = open[1]!;
      const body: string[] = [];
      const close = new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!)) {
        body.push(lines[j]!);
        j++;
      }
      let k = i - 1;
      while (k >= 0 && lines[k]!.trim() === '') k--;
      const marker = k >= 0 ? MARKER.exec(lines[k]!)?.[1] : undefined;
      blocks.push({ file, line: i + 1, lang: open[2]!, code: body.join('\n') + '\n', marker });
      i = j;
      previous = beforePrevious = '';
      continue;
    }
    // An indented code block starts after a blank line, below a paragraph that is not part of a list.
    if (/^( {4}|\t)\S/.test(line) && previous.trim() === '' && beforePrevious.trim() !== '' && !/^\s{2,}/.test(beforePrevious) && !LIST_ITEM.test(beforePrevious)) {
      indented.push(i + 1);
    }
    if (line.trim() !== '') beforePrevious = line;
    previous = line;
  }
  return { blocks, indented };
}

/** The check a marker asks for, or an error message naming what is wrong with it. */
export function parseMarker(marker: string, lang: string): BlockCheck | string {
  const [kind = '', ...rest] = marker.split(/\s+/);
  const arg = rest.join(' ');
  const code = lang === 'ts' || lang === 'typescript';
  const shell = lang === 'sh' || lang === 'bash';
  switch (kind) {
    case 'run':
      if (!code && !shell) return `"run" is for ts, sh and bash blocks, not ${lang || 'a block without a language'}`;
      if (arg !== '' && !(code && arg === 'refusals')) return `"run" takes ${code ? 'only "refusals"' : 'nothing'}, not "${arg}"`;
      return { kind: 'run', refusals: arg === 'refusals' };
    case 'typecheck': {
      if (!code) return `"typecheck" is for ts blocks, not ${lang || 'a block without a language'}`;
      const same = /^same-as\s+(\S+)$/.exec(arg);
      if (arg !== '' && !same) return `"typecheck" takes nothing or "same-as <module>", not "${arg}"`;
      return { kind: 'typecheck', sameAs: same?.[1] };
    }
    case 'commands':
      if (!shell) return `"commands" is for sh and bash blocks, not ${lang || 'a block without a language'}`;
      return arg === '' ? { kind: 'commands' } : `"commands" takes nothing, not "${arg}"`;
    case 'output-of':
      if (arg !== 'previous') return '"output-of" takes "previous"';
      if (lang !== 'text' && lang !== 'json') return `"output-of previous" is for text and json blocks, not ${lang || 'a block without a language'}`;
      return { kind: 'output-of-previous' };
    case 'tree':
      if (lang !== 'text') return `"tree" is for text blocks, not ${lang || 'a block without a language'}`;
      return arg === '' ? { kind: 'tree' } : `"tree" takes nothing, not "${arg}"`;
    case 'checked-by':
      if (!/^\S+\.test\.tsx?$/.test(arg)) return '"checked-by" names the test file that checks the block: <!-- check: checked-by server/test/x.test.ts -->';
      return { kind: 'checked-by', test: arg };
    case 'illustrative':
      // The reason is what a reader of the source sees; a word or two is not a reason.
      if (arg.split(/\s+/).filter(Boolean).length < 3) return '"illustrative" needs a reason of a few words: <!-- check: illustrative <why it cannot be checked> -->';
      return { kind: 'illustrative', reason: arg };
    default:
      return `unknown check "${kind}"; one of run, typecheck, commands, output-of previous, tree, checked-by, illustrative`;
  }
}

/** One command of a shell line: the variables it sets and its words. */
export interface ShellCommand {
  env: Array<{ name: string; value: string }>;
  words: string[];
}

/**
 * The commands of a shell block, one line after another: quotes ('…', "…"), backslash line
 * continuations and `# comments` are understood; `&&`, `||`, `;`, `|` and a trailing `&` separate
 * commands. Enough for the commands the docs show, not a shell.
 */
export function parseShell(code: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const text = code.replace(/\\\n/g, ' ');
  for (const line of text.split('\n')) {
    let words: string[] = [];
    let word: string | undefined;
    let quote: string | undefined;
    const endCommand = () => {
      if (word !== undefined) words.push(word);
      word = undefined;
      if (words.length > 0) {
        const env: ShellCommand['env'] = [];
        while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) {
          const assignment = words.shift()!;
          const at = assignment.indexOf('=');
          env.push({ name: assignment.slice(0, at), value: assignment.slice(at + 1) });
        }
        commands.push({ env, words });
      }
      words = [];
    };
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = undefined;
        else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i]!;
        else word += c;
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        word ??= '';
      } else if (c === '#' && word === undefined) {
        break;
      } else if (c === ' ' || c === '\t') {
        if (word !== undefined) words.push(word);
        word = undefined;
      } else if (c === ';' || c === '|' || c === '&') {
        if (line[i + 1] === c) i++;
        endCommand();
      } else if (c === '\\' && i + 1 < line.length) {
        word = (word ?? '') + line[++i]!;
      } else {
        word = (word ?? '') + c;
      }
    }
    if (quote) throw new Error(`unclosed ${quote} in: ${line}`);
    endCommand();
  }
  return commands;
}

/** Does a shell word stand for a value the reader fills in (`<seed>`, `…`)? */
export const isPlaceholder = (value: string) => /…|<[^>]*>/.test(value);

const NUMBER = /[-+]?\d[\d,]*(?:\.\d+)?(?:e[-+]?\d+)?/gi;

/** A line of sample output as a pattern: numbers stand for any number, the rest is literal. */
export function lineShape(sample: string): RegExp {
  let pattern = '';
  let last = 0;
  for (const match of sample.matchAll(NUMBER)) {
    pattern += escape(sample.slice(last, match.index)) + '[-+]?\\d[\\d,]*(?:\\.\\d+)?(?:e[-+]?\\d+)?';
    last = match.index + match[0].length;
  }
  return new RegExp(`^${pattern}${escape(sample.slice(last))}$`, 'i');
}
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * How real output differs from a sample of it, line by line (empty when it has the sample's
 * shape): every line of the output has the shape of some sample line, and every sample line's
 * shape occurs in the output.
 */
export function textShapeProblems(sample: string, output: string): string[] {
  const samples = sample.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const shapes = samples.map(lineShape);
  const lines = output.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const problems: string[] = [];
  for (const line of lines) if (!shapes.some((s) => s.test(line))) problems.push(`output line "${line}" has the shape of no sample line`);
  samples.forEach((s, i) => {
    if (!lines.some((line) => shapes[i]!.test(line))) problems.push(`sample line "${s}" matches no output line`);
  });
  return problems;
}

/** The JSON type of a value, by name. */
const jsonType = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

/**
 * How a JSON value differs in shape from a sample of it (empty when it has the sample's shape):
 * the same keys at every level, values of the same JSON type; every element of an array has the
 * shape of the sample's first element.
 */
export function jsonShapeProblems(sample: unknown, actual: unknown, path = '$'): string[] {
  if (jsonType(sample) !== jsonType(actual)) return [`${path}: the sample has ${jsonType(sample)}, the output ${jsonType(actual)}`];
  if (Array.isArray(sample) && Array.isArray(actual)) {
    if (sample.length === 0) return [];
    return actual.flatMap((item, i) => jsonShapeProblems(sample[0], item, `${path}[${i}]`));
  }
  if (jsonType(sample) !== 'object') return [];
  const s = sample as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(s)) if (!(key in a)) problems.push(`${path}.${key}: in the sample, not in the output`);
  for (const key of Object.keys(a)) {
    if (!(key in s)) problems.push(`${path}.${key}: in the output, not in the sample`);
    else problems.push(...jsonShapeProblems(s[key], a[key], `${path}.${key}`));
  }
  return problems;
}

/**
 * The paths a `tree` block names, relative to the repository: a line that starts with `dir/` names
 * that folder and is the parent of every other `name/` or `name.ext` it (and the indented lines
 * after it) mention; `(…)` holds descriptions, not paths.
 */
export function treePaths(code: string): string[] {
  const paths: string[] = [];
  let parent = '';
  for (const raw of code.split('\n')) {
    if (raw.trim() === '') continue;
    const line = raw.replace(/\([^)]*\)/g, ' ');
    const top = /^(\S+\/)/.exec(line);
    let rest = line;
    if (top) {
      parent = top[1]!;
      paths.push(parent);
      rest = line.slice(top[0].length);
    }
    for (const word of rest.split(/[\s,]+/)) {
      const name = word.replace(/[.;:]+$/, '');
      if (/^[\w.-]+\/$/.test(name) || /^[\w-]+\.(ts|tsx|json|md|html)$/.test(name)) paths.push(parent + name);
    }
  }
  return paths;
}

/** The Markdown text outside fenced code blocks (their lines blanked, so line numbers stay). */
export function prose(text: string): string {
  let fence: RegExp | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (fence) {
        if (fence.test(line)) fence = undefined;
        return '';
      }
      const open = FENCE.exec(line);
      if (open) {
        fence = new RegExp(`^ {0,3}${open[1]![0]}{${open[1]!.length},}\\s*$`);
        return '';
      }
      return line;
    })
    .join('\n');
}

/**
 * Paths of the repository that inline code in the prose names: `server/app.ts`, `web/src/lib/`,
 * `shared/node` (a module), and bare file names such as `crash.test.ts`. Globs and placeholders
 * (`docs/*.md`, `<file>.ts`) are not paths.
 */
export function namedPaths(text: string): Array<{ path: string; bare: boolean; line: number }> {
  const found: Array<{ path: string; bare: boolean; line: number }> = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const [, code] of line.matchAll(/`([^`\s]+)`/g)) {
        if (/[*<>…]/.test(code!)) continue;
        if (/^(server|shared|web|docs|\.ci|examples)\//.test(code!)) found.push({ path: code!, bare: false, line: i + 1 });
        else if (/^[\w.-]+\.(ts|tsx|md)$/.test(code!)) found.push({ path: code!, bare: true, line: i + 1 });
      }
    });
  return found;
}

/** Relative links of the prose, `[text](target#anchor)`: web links and mail are left out. */
export function relativeLinks(text: string): Array<{ target: string; anchor: string | undefined; line: number }> {
  const found: Array<{ target: string; anchor: string | undefined; line: number }> = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const [, href] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(href!)) continue;
        const [target = '', anchor] = href!.split('#');
        found.push({ target, anchor, line: i + 1 });
      }
    });
  return found;
}

/** The anchors GitHub gives a Markdown text's headings (`## Fan-out: the wire` → `fan-out-the-wire`). */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(text).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!
      .toLowerCase()
      .replace(/<[^>]+>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}
