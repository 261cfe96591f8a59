import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertStore } from './alert-store.js';

const fresh = (): string => join(mkdtempSync(join(tmpdir(), 'sb-alerts-')), 'data', 'monitor.json');

describe('the alert state file', () => {
  it('keeps the alerting figures across a reload, private to the daemon user', async () => {
    const path = fresh();
    assert.deepEqual(await new AlertStore(path).load(), {});
    await new AlertStore(path).save({ cpu: { since: 1000, value: 96 } });
    assert.deepEqual(await new AlertStore(path).load(), { cpu: { since: 1000, value: 96 } });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
      alerting: { cpu: { since: 1000, value: 96 } },
    });
  });

  it('drops what it cannot read: a damaged file, entries of another shape', async () => {
    const path = fresh();
    await new AlertStore(path).save({});
    writeFileSync(path, '{"alerting": {"cpu": {"since": 1');
    assert.deepEqual(await new AlertStore(path).load(), {});
    writeFileSync(
      path,
      JSON.stringify({ alerting: { cpu: { since: 'x' }, 'disk /': { since: 5, value: 91 } } }),
    );
    assert.deepEqual(await new AlertStore(path).load(), { 'disk /': { since: 5, value: 91 } });
  });
});
