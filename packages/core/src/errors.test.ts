import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError, ERRORS, PipelineError, toPipelineError } from './errors.js';

const DOC = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

describe('errors', () => {
  it('are all listed in docs/errors.md with their text and reply class', () => {
    const rows = new Map(
      readFileSync(DOC, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .map((cells) => [cells[1]?.replaceAll('`', ''), cells] as const),
    );
    for (const [code, spec] of Object.entries(ERRORS)) {
      const row = rows.get(code);
      assert.ok(row, `docs/errors.md has no row for ${code}`);
      assert.equal(row[3], spec.replyClass, `reply class of ${code}`);
      if (!spec.message.includes('%s')) assert.equal(row[2], `\`${spec.message}\``, code);
    }
    assert.equal(rows.size, Object.keys(ERRORS).length, 'docs/errors.md lists unknown codes');
  });

  it('fill in their arguments', () => {
    assert.equal(new PipelineError('APP_TIMEOUT', 5).message, 'timed out after 5s');
    assert.equal(new PipelineError('UNKNOWN_APP', '.e .s').message, 'unknown app; enabled: .e .s');
  });

  it('keep an app error and hide anything else', () => {
    assert.equal(toPipelineError(new AppError('usage: x')).message, 'usage: x');
    assert.equal(toPipelineError(new Error('at /srv/secret.js')).code, 'INTERNAL');
    assert.equal(toPipelineError('a string').code, 'INTERNAL');
  });
});
