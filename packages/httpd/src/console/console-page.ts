/**
 * The console's page and its two files (DESIGN §13): plain HTML, one ES module and one style
 * sheet from this package (no CDN, no build step), under a CSP that allows scripts and styles
 * from this origin only, so nothing inline runs.
 */
import { fileURLToPath } from 'node:url';
import type { Router } from 'express';
import { escapeHtml } from '../escape-html.js';

/** The CSP of the console's page and files. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The files the page loads, from packages/httpd/console-assets/. */
const ASSETS = { 'console.js': 'js', 'console.css': 'css' } as const;

/** The page; `base` is http.basePath, which the module reads from `data-base`. */
const page = (base: string): string => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Switchboard console</title><link rel="stylesheet" href="${base}/console/console.css">
<script type="module" src="${base}/console/console.js"></script></head>
<body data-base="${base}"><noscript>The console needs JavaScript; the command form at ${base}/ does not.</noscript></body>
</html>
`;

/** Adds `GET /console` and its files to `router` (mounted at the base path). */
export function mountConsolePage(router: Router, basePath: string): void {
  const html = page(escapeHtml(basePath));
  router.get('/console', (_req, res) => {
    res.set('content-security-policy', CONSOLE_CSP).type('html').send(html);
  });
  for (const [file, type] of Object.entries(ASSETS)) {
    const path = fileURLToPath(new URL(`../../console-assets/${file}`, import.meta.url));
    router.get(`/console/${file}`, (_req, res, next) => {
      res.set('content-security-policy', CONSOLE_CSP).type(type);
      res.sendFile(path, (err) => {
        if (err !== undefined) next(err);
      });
    });
  }
}
