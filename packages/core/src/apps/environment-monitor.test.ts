import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { testRig } from '../harness.js';

const PASSWORD = 'monitor-app-password';
const base = { filters: { pinAndShortcuts: { passwords: [PASSWORD] } } };

describe('.e stat and .e chart', () => {
  it('say how to turn the monitor on when it is off', async () => {
    const rig = testRig(base);
    const expected = 'the monitor is off: add a "monitor" block to the config (docs/monitor.md)';
    assert.equal((await rig.run(`${PASSWORD} .e stat`)).combinedOutput, expected);
    assert.equal((await rig.run(`${PASSWORD} .e chart cpu`)).combinedOutput, expected);
  });

  it('answer stat from a fresh sample before the monitor has taken one', async () => {
    const rig = testRig({ ...base, monitor: {} });
    const result = await rig.run(`${PASSWORD} .e stat`);
    assert.equal(result.error, undefined);
    assert.match(result.output, /^cpu \d+% mem \d+% load .+; crossed: /);
  });

  it('send a chart as a PNG where the channel shows pictures, and text everywhere', async () => {
    const rig = testRig({ ...base, monitor: {} });
    const http = await rig.run(`${PASSWORD} .e chart load 6h`);
    assert.equal(http.output, 'load 6h: no samples yet');
    assert.equal(http.attachment, undefined);
    const telegram = await rig.run(`${PASSWORD} .e chart load 6h`, { channel: 'telegram' });
    assert.equal(telegram.output, 'load 6h: no samples yet');
    assert.equal(telegram.attachment?.filename, 'load-6h.png');
    assert.equal(telegram.attachment.contentType, 'image/png');
    assert.equal(PNG.sync.read(telegram.attachment.content).width, 800);
  });

  it('answer a wrong chart request with the usage', async () => {
    const rig = testRig({ ...base, monitor: {} });
    for (const args of ['', 'net', 'cpu 2d', 'cpu 1h more']) {
      const result = await rig.run(`${PASSWORD} .e chart ${args}`);
      assert.equal(result.combinedOutput, 'usage: .e chart cpu|memory|disk|load [1h|6h|24h]');
    }
  });
});
