import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csrfMatches, SESSION_SEC, SessionTable } from './sessions.js';

const credential = { kind: 'password', secret: 's' } as const;

describe('console sessions', () => {
  it('ends a session SESSION_SEC after its login', () => {
    let now = 1_000_000;
    const table = new SessionTable(() => now);
    const { id } = table.open(credential);
    now += SESSION_SEC * 1000 - 1;
    assert.notEqual(table.find(id), undefined);
    now += 1;
    assert.equal(table.find(id), undefined);
  });

  it('finds a session by its id only, and ends it on close', () => {
    const table = new SessionTable();
    const { id, session } = table.open(credential);
    assert.equal(table.find(id), session);
    assert.equal(table.find(`${id}x`), undefined);
    assert.equal(table.find(undefined), undefined);
    table.close(id);
    assert.equal(table.find(id), undefined);
  });

  it('keeps at most 64 sessions: a login past that ends the oldest', () => {
    const table = new SessionTable();
    const ids = Array.from({ length: 65 }, () => table.open(credential).id);
    assert.equal(table.find(ids[0]), undefined);
    assert.notEqual(table.find(ids[1]), undefined);
    assert.notEqual(table.find(ids[64]), undefined);
  });

  it("matches the session's CSRF token only", () => {
    const { session } = new SessionTable().open(credential);
    assert.equal(csrfMatches(session, session.csrf), true);
    assert.equal(csrfMatches(session, undefined), false);
    assert.equal(csrfMatches(session, ''), false);
    assert.equal(csrfMatches(session, `${session.csrf.slice(1)}A`), false);
  });
});
