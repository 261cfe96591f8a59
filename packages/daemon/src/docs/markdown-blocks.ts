/**
 * Test support (not exported): the fenced code blocks of a Markdown page, with the words after
 * the language in their info string, the page's `<!-- doc-examples: ... -->` settings, its
 * tables, and GitHub's anchors for headings.
 * docs/development.md ("Examples in the docs") describes the marks.
 */

/** One fenced code block. */
export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The first word of the info string (`sh`, `console`, `json`, ...), or ''. */
  readonly lang: string;
  /** The rest of the info string, e.g. `runnable`, `not-runnable: needs DNS`, `file=x.json`. */
  readonly meta: string;
  /** The content, without the fences and without the fence's indentation. */
  readonly text: string;
}

/** Languages whose blocks are shell examples: each must be marked runnable or not. */
export const SHELL_LANGS: ReadonlySet<string> = new Set(['sh', 'bash', 'shell', 'console']);

/** Every fenced code block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '', lang = '', meta = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim().startsWith(fence) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    blocks.push({ line: i + 1, lang, meta: meta.trim(), text: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The `key=value` settings of the page's `<!-- doc-examples: ... -->` comment, if any. */
export function pageSettings(markdown: string): ReadonlyMap<string, string> {
  const comment = /^<!--\s*doc-examples:(.*?)-->/ms.exec(markdown);
  const settings = new Map<string, string>();
  for (const word of (comment?.[1] ?? '').trim().split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq > 0) settings.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return settings;
}

/** The `file=NAME` of a block's info string, if it has one. */
export function fileOf(block: CodeBlock): string | undefined {
  return /(?:^|\s)file=(\S+)/.exec(block.meta)?.[1];
}

/** GitHub's anchor of a heading's text (without the `#`s), before any `-1` for repeats. */
export function headingSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The body rows of the first table whose header row is `header`, each as its trimmed cells. */
export function tableRows(markdown: string, header: readonly string[]): string[][] {
  const lines = markdown.split('\n');
  const wanted = header.join('|');
  const start = lines.findIndex((line) => line.startsWith('|') && cells(line).join('|') === wanted);
  if (start < 0) return [];
  const body: string[][] = [];
  // The header, its delimiter row, then rows until the first line that is not one.
  for (let i = start + 2; (lines[i] ?? '').startsWith('|'); i++) body.push(cells(lines[i] ?? ''));
  return body;
}

/** The cells of a table row (`\|` inside a cell is not a separator). */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}
