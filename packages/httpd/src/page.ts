/**
 * The "invoke app command" page: one password-type field named `cmd`, no external assets, no
 * script. Plain HTML that a 2007 feature-phone browser renders, with a little inline CSS that
 * makes it comfortable on a modern phone.
 */
import { escapeHtml } from './escape-html.js';

/** What the page shows below the form, if anything. */
export interface PageResult {
  readonly text: string;
  readonly failed: boolean;
}

/** The whole page; `action` is where the form posts (the page's own path). */
export function renderPage(action: string, result?: PageResult): string {
  const shown =
    result === undefined
      ? ''
      : `<p class="${result.failed ? 'err' : 'ok'}">${result.failed ? 'Error' : 'Result'}:</p>\n` +
        `<pre id="result">${escapeHtml(result.text)}</pre>\n`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Invoke app command</title>
<style>
body{font-family:sans-serif;margin:1em;max-width:40em}
input{font-size:1.1em;width:100%;box-sizing:border-box;padding:.4em;margin:.3em 0}
pre{white-space:pre-wrap;word-wrap:break-word;background:#f4f4f4;padding:.5em}
.err{color:#a00}
</style>
</head>
<body>
<h1>Invoke app command</h1>
<form method="post" action="${escapeHtml(action)}">
<label for="cmd">Command:</label><br>
<input type="password" id="cmd" name="cmd" autocomplete="off" autofocus>
<input type="submit" value="Run">
</form>
${shown}</body>
</html>
`;
}
