import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogging, MemoryStateStore } from '@switchboard/core';
import { waitFor } from '@switchboard/core/testing';
import { pollUnderLease } from './poll-lease.js';

describe('polling under a lease', () => {
  it('lets one of two instances poll, and the other once the first stops', async () => {
    const store = new MemoryStateStore(); // shared by both, as Redis would be
    const logs: string[] = [];
    const { logger } = createLogging({ destination: { write: (line: string) => logs.push(line) } });
    const polling = new Set<string>();
    const instance = (name: string) => {
      const stop = new AbortController();
      const done = pollUnderLease({
        store,
        logger: logger.child({ name }),
        token: '123:token',
        signal: stop.signal,
        poll: async (signal) => {
          polling.add(name);
          await new Promise((resolve) => {
            signal.addEventListener('abort', resolve, { once: true });
          });
          polling.delete(name);
        },
      });
      return {
        stop: () => {
          stop.abort();
        },
        done,
      };
    };
    const a = instance('a');
    await waitFor('a to poll', () => polling.has('a'));
    const b = instance('b');
    await waitFor('b to stand by', () =>
      logs.some((l) => l.includes('"name":"b"') && l.includes('standing by')),
    );
    assert.deepEqual([...polling], ['a']);
    a.stop();
    await a.done;
    await waitFor('b to take over', () => polling.has('b'));
    assert.ok(logs.some((l) => l.includes('"name":"b"') && l.includes('took over polling')));
    b.stop();
    await b.done;
    assert.equal(polling.size, 0);
  });
});
