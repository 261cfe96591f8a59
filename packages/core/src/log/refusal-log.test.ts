import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { REFUSAL_LOG_INTERVAL_MS, RefusalLog } from './refusal-log.js';

describe('RefusalLog', () => {
  it('logs one line a minute per kind, with how many were refused since the last', () => {
    type Line = { msg: string; refused: number; refusal: string; ip?: string };
    const lines: Line[] = [];
    let clock = 0;
    const log = new RefusalLog(
      pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Line) }),
      () => clock,
    );
    for (let i = 0; i < 500; i++) log.refused('sig', 'bad signature', { ip: `192.0.2.${i % 9}` });
    log.refused('smtp', 'smtp refusal');
    clock += REFUSAL_LOG_INTERVAL_MS - 1;
    log.refused('sig', 'bad signature');
    assert.equal(lines.length, 2);
    clock += 1;
    log.refused('sig', 'bad signature', { ip: '192.0.2.99' });
    assert.deepEqual(
      lines.map((l) => [l.refusal, l.refused, l.ip]),
      [
        ['sig', 1, '192.0.2.0'],
        ['smtp', 1, undefined],
        ['sig', 501, '192.0.2.99'],
      ],
    );
  });
});
