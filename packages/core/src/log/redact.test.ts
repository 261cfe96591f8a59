import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createLogging } from './logger.js';
import { CENSOR, REDACTED_KEYS, redactNested } from './redact.js';

/** The JSON lines a fresh logger writes while `log` runs. */
function linesOf(log: (logger: ReturnType<typeof createLogging>['logger']) => void): string[] {
  const lines: string[] = [];
  const { logger } = createLogging({ destination: { write: (line) => lines.push(line) } });
  log(logger);
  return lines;
}

const secretKey = fc.constantFrom(...REDACTED_KEYS);
const plainKey = fc
  .string({ minLength: 1, maxLength: 8 })
  .filter((k) => !REDACTED_KEYS.some((s) => s === k) && k !== '__proto__');
// A value no other part of a line can contain by chance.
const secretValue = fc.string({ minLength: 4, maxLength: 12 }).map((s) => `S3CR3T:${s}`);

describe('log redaction', () => {
  it('keeps no secret value at the top or one level down, and every other field', () => {
    fc.assert(
      fc.property(
        fc.dictionary(plainKey, fc.oneof(fc.string(), fc.integer(), fc.boolean())),
        fc.array(fc.tuple(secretKey, secretValue), { maxLength: 3 }),
        fc.array(fc.tuple(plainKey, secretKey, secretValue), { maxLength: 3 }),
        (plain, top, nested) => {
          const fields: Record<string, unknown> = { ...plain };
          for (const [key, value] of top) fields[key] = value;
          for (const [outer, key, value] of nested) fields[outer] = { keep: 1, [key]: value };
          const [line = ''] = linesOf((logger) => {
            logger.info(fields, 'msg');
          });
          assert.ok(!line.includes('S3CR3T:'), line);
          const parsed = JSON.parse(line) as Record<string, unknown>;
          for (const [key] of top) assert.equal(parsed[key], CENSOR);
          for (const [outer, key] of nested) {
            assert.deepEqual(parsed[outer], { keep: 1, [key]: CENSOR });
          }
          for (const [key, value] of Object.entries(plain)) {
            if (!top.some(([k]) => k === key) && !nested.some(([k]) => k === key)) {
              assert.deepEqual(parsed[key], value);
            }
          }
        },
      ),
    );
  });

  it('censors the bindings of a child logger too', () => {
    const [line = ''] = linesOf((logger) => {
      logger.child({ token: 'S3CR3T:x' }).info('msg');
    });
    assert.equal((JSON.parse(line) as { token: string }).token, CENSOR);
  });

  it('returns the fields themselves when there is nothing to censor (no copy per line)', () => {
    const fields = { channel: 'http', nested: { ok: true } };
    assert.equal(redactNested(fields), fields);
  });
});
