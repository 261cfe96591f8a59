import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testRig } from './harness.js';
import { PipelineRuntime } from './runtime.js';

describe('PipelineRuntime: the one drain of a stop', () => {
  const runtime = () => {
    const rig = testRig({});
    return new PipelineRuntime(rig.pipeline, rig.services);
  };

  it('waits for tracked work, commands and replies alike', async () => {
    const r = runtime();
    let finish: () => void = () => undefined;
    const reply = r.track(new Promise<void>((resolve) => (finish = resolve)));
    const command = r.process({ channel: 'http', source: 'x', content: 'no', timeoutSec: 5 });
    assert.equal(r.inFlight, 2);
    const drained = r.drain(30_000);
    await command;
    assert.equal(r.inFlight, 1);
    finish();
    await reply;
    assert.equal(await drained, true);
    assert.equal(r.abandoned.aborted, false);
  });

  it('gives up after the grace period and tells what is left to abandon', async () => {
    const r = runtime();
    void r.track(new Promise(() => undefined));
    assert.equal(await r.drain(20), false);
    assert.equal(r.abandoned.aborted, true);
  });
});
