/**
 * `GET /api/docs` (DESIGN §12): Swagger UI over /api/openapi.json, from swagger-ui-dist's own
 * files served here (no CDN), under a CSP that allows scripts from this origin only: the page
 * and its initialiser are files, not inline script.
 */
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Router } from 'express';

/** The CSP of the docs page and its files. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchboard API</title><link rel="stylesheet" href="docs/swagger-ui.css">
<link rel="icon" type="image/png" href="docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script><script src="docs/init.js"></script></body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui' });\n`;

/** swagger-ui-dist's files the page loads. */
const FILES = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'] as const;

/** Adds the docs page and its files to `router` (mounted at the base path). */
export function mountApiDocs(router: Router): void {
  // Resolved, not loaded: the package is static files; nothing of it enters this process.
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  router.get('/api/docs', (_req, res) => {
    res.set('content-security-policy', DOCS_CSP).type('html').send(PAGE);
  });
  router.get('/api/docs/init.js', (_req, res) => {
    res.set('content-security-policy', DOCS_CSP).type('js').send(INIT);
  });
  for (const file of FILES) {
    router.get(`/api/docs/${file}`, (_req, res, next) => {
      res.set('content-security-policy', DOCS_CSP).set('cache-control', 'public, max-age=86400');
      res.sendFile(join(dist, file), (err) => {
        if (err !== undefined) next(err);
      });
    });
  }
}
