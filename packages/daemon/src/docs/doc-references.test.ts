/**
 * What the docs point at exists: relative links (and their #anchors), and the repository files
 * they cite in backticks (`packages/core/src/errors.ts`, `deploy/switchboard.service`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { REPO_ROOT } from '../harness.js';
import { headingSlug } from './markdown-blocks.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const PACKAGES = readdirSync(join(REPO_ROOT, 'packages'));
/** The repository's top-level folders: a backticked path under one is a citation. */
const TOP_LEVEL = new Set(
  readdirSync(REPO_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
    .map((e) => e.name),
);

/** The page's text outside fenced code blocks, where links and citations live. */
function prose(page: string): string {
  return readFileSync(join(REPO_ROOT, page), 'utf8').replace(
    /^ *(```|~~~)[^\n]*\n[\s\S]*?^ *\1\s*$/gm,
    '',
  );
}

/** GitHub's anchors for a page's headings. */
function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const match of prose(page).matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = headingSlug(match[1] ?? '');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Whether a cited path exists: from the root, or in a package or its src/ (`config/types.ts`). */
function citedExists(path: string): boolean {
  const bare = path.replace(/\/$/, '');
  return (
    existsSync(join(REPO_ROOT, bare)) ||
    existsSync(join(REPO_ROOT, 'docs', bare)) ||
    PACKAGES.some(
      (p) =>
        existsSync(join(REPO_ROOT, 'packages', p, bare)) ||
        existsSync(join(REPO_ROOT, 'packages', p, 'src', bare)),
    )
  );
}

describe('the docs', () => {
  for (const page of PAGES) {
    it(`link to pages and anchors that exist, from ${page}`, () => {
      const broken: string[] = [];
      for (const match of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] ?? '';
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [file = '', anchor] = target.split('#');
        const linked = file === '' ? page : normalize(join(dirname(page), file));
        if (!existsSync(join(REPO_ROOT, linked))) broken.push(target);
        else if (anchor !== undefined && linked.endsWith('.md') && !anchors(linked).has(anchor)) {
          broken.push(target);
        }
      }
      assert.deepEqual(broken, []);
    });

    it(`cite files that are in the repository, in ${page}`, () => {
      const text = prose(page).replace(/\bhttps?:\/\/\S+/g, '');
      const cited = new Set<string>();
      // In backticks: paths under a top-level folder, and files with a folder in their name.
      for (const match of text.matchAll(/`([\w.-]+(?:\/[\w.-]+)*\/?)`/g)) {
        const path = match[1] ?? '';
        const top = path.split('/')[0] ?? '';
        if (path.startsWith('.')) continue; // relative to the reader's folder
        if (TOP_LEVEL.has(top) && path.includes('/')) cited.add(path);
        else if (path.includes('/') && /\.(ts|mjs|js|json|sh|service)$/.test(path)) cited.add(path);
      }
      // Anywhere: another page (`STYLE.md`, `laitos-daemons.md`).
      for (const match of text.matchAll(/(?<![\w/.-])([\w-]+\.md)\b/g)) cited.add(match[1] ?? '');
      assert.deepEqual(
        [...cited].filter((path) => !citedExists(path)),
        [],
      );
    });
  }
});
