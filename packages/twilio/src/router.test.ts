import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Config, Runtime } from '@switchboard/core';
import { createTwilioRouter } from './router.js';
import { TOKEN, startRig, type Rig } from './webhook-rig.js';

describe('createTwilioRouter', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  function runtimeWith(config: Config): Runtime {
    return {
      services: rig.runtime.services,
      process: (c) => rig.runtime.process(c),
      authorises: () => false,
      admit: (request) => rig.runtime.admit(request),
      authenticate: (command) => rig.runtime.authenticate(command),
      config: () => config,
      track: (work) => rig.runtime.track(work),
      abandoned: rig.runtime.abandoned,
    };
  }

  it('refuses to start without a twilio block', () => {
    const withoutTwilio: Config = { ...rig.config, twilio: undefined };
    assert.throws(() => createTwilioRouter(runtimeWith(withoutTwilio)), /no twilio block/);
  });

  it('refuses to start without authToken or publicUrl, without printing the token', () => {
    const block = rig.config.twilio;
    assert.ok(block);
    const noToken = { ...rig.config, twilio: { ...block, authToken: '' } };
    assert.throws(() => createTwilioRouter(runtimeWith(noToken)), /twilio\.authToken must be set/);
    const noUrl = { ...rig.config, twilio: { ...block, publicUrl: '' } };
    assert.throws(
      () => createTwilioRouter(runtimeWith(noUrl)),
      (err: unknown) =>
        err instanceof Error &&
        err.message.includes('twilio.publicUrl') &&
        !err.message.includes(TOKEN),
    );
  });
});
