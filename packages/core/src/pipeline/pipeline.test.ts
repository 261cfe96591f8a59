import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defineApp } from '../apps/app.js';
import { APPS } from '../apps/registry.js';
import { pairSecrets } from '../auth/code-pairs.js';
import { codeOfBytes, stepAt } from '../auth/totp.js';
import { testRig } from '../harness.js';

const PASSWORD = 'verysecret';
const ALT = 'myaltpassword';

/** The laitos processor setup adapted: unrestricted shell, alpha→beta, maxLength 2. */
function laitosRig() {
  return testRig({
    filters: {
      pinAndShortcuts: { passwords: [PASSWORD, ALT], shortcuts: { 'uptime please': '.s echo up' } },
      translateSequences: { sequences: [['alpha', 'beta']] },
      lintText: { trimSpaces: true, maxLength: 2 },
    },
    apps: { shell: { unrestricted: true } },
  });
}

describe('the pipeline, with laitos processor vectors', () => {
  it('refuses a wrong password and hides the command', async () => {
    const r = await laitosRig().run('badpin.secho alpha');
    assert.equal(r.error?.code, 'INVALID_LOGIN');
    assert.equal(r.output, '');
    assert.equal(r.combinedOutput, 'in');
    assert.equal(r.command.content, '');
  });

  it('runs a command after the password, translated, and cuts the output', async () => {
    const r = await laitosRig().run(`${PASSWORD}.secho alpha`);
    assert.equal(r.error, undefined);
    assert.equal(r.combinedOutput, 'be');
    assert.equal(r.command.content, '.secho beta');
  });

  it('accepts any configured password and surrounding spaces', async () => {
    const rig = laitosRig();
    assert.equal((await rig.run(`${ALT}.secho alpha`)).combinedOutput, 'be');
    const r = await rig.run(` ${PASSWORD} .s echo alpha `);
    assert.equal(r.command.content, '.s echo beta');
    assert.equal(r.combinedOutput, 'be');
  });

  it('reports a failing shell command with its output', async () => {
    const r = await laitosRig().run(`${PASSWORD}.secho alpha; does-not-exist`);
    assert.equal(r.command.content, '.secho beta; does-not-exist');
    assert.match(r.error?.message ?? '', /^exit status 127$/);
    assert.match(r.output, /^be/);
    assert.equal(r.combinedOutput, 'ex');
  });

  it('names the enabled apps for an unknown trigger', async () => {
    const r = await testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } }).run(
      `${PASSWORD}.tz`,
    );
    assert.equal(r.error?.code, 'UNKNOWN_APP');
    assert.equal(r.combinedOutput, 'unknown app; enabled: .e .s');
  });

  it('rejects a malformed .plt with its usage', async () => {
    const r = await laitosRig().run(`${PASSWORD}  .plt   sadf asdf `);
    assert.equal(r.error?.code, 'BAD_PLT');
    assert.equal(r.error.message, 'usage: .plt SKIP MAXLEN TIMEOUT .app params');
    assert.equal(r.command.content, '.plt <hidden>');
  });

  it('applies .plt skip, length and timeout to one command', async () => {
    const r = await laitosRig().run(`${PASSWORD}  .plt  2, 5. 4  .s  sleep 2 ; echo 0123456789 `, {
      timeoutSec: 1,
    });
    assert.equal(r.error, undefined);
    assert.equal(r.command.timeoutSec, 4);
    assert.equal(r.command.content, '.s  sleep 2 ; echo 0123456789');
    assert.equal(r.combinedOutput, '23456');
  });

  it('locks every channel down after .e lock', async () => {
    const rig = laitosRig();
    const lock = await rig.run(`${PASSWORD}.e lock`);
    assert.match(lock.output, /^OK/);
    for (const channel of ['http', 'smtp', 'telegram', 'twilio'] as const) {
      const r = await rig.run(`${PASSWORD}.s echo hi`, { channel });
      assert.equal(r.error?.code, 'LOCKED_DOWN');
      assert.equal(r.combinedOutput, channel === 'twilio' ? 'LOCKED DOWN' : 'LO');
    }
  });

  it('refuses a command over 16384 bytes, counting the password', async () => {
    const rig = laitosRig();
    const r = await rig.run(`${PASSWORD}.s ` + 'a'.repeat(16384));
    assert.equal(r.error?.code, 'TOO_LONG');
    const multiByte = await rig.run(`${PASSWORD}.s echo ` + 'é'.repeat(8200));
    assert.equal(multiByte.error?.code, 'TOO_LONG');
  });
});

describe('pinAndShortcuts', () => {
  const rig = () =>
    testRig({
      filters: {
        pinAndShortcuts: {
          passwords: ['abcdefg', 'abcdefgh'],
          shortcuts: { abc: '.s echo 123', def: '.s echo 456', blank: '  \t ' },
        },
      },
      apps: { shell: { unrestricted: true } },
    });

  it('takes the first matching line of many, shortcuts included', async () => {
    assert.equal((await rig().run('\n\n abc\nrandom line\ndef')).output, '123');
    assert.equal((await rig().run('\nrandom line\n\n def \n\n')).output, '456');
    assert.equal((await rig().run('\nrandom\n abcdefg.s echo x \nmore\n')).output, 'x');
  });

  it('prefers the longer password when one is a prefix of another', async () => {
    const r = await rig().run('abcdefgh.s echo long');
    assert.equal(r.output, 'long');
    assert.equal(r.command.content, '.s echo long');
  });

  it('does not accept a line that is only the password', async () => {
    assert.equal((await rig().run('abcdefg')).error?.code, 'INVALID_LOGIN');
  });

  it('is case-sensitive', async () => {
    assert.equal((await rig().run('ABCDEFG.s echo x')).error?.code, 'INVALID_LOGIN');
  });

  it('with no passwords and no shortcuts refuses everything', async () => {
    assert.equal((await testRig({}).run('anything .e info')).error?.code, 'INVALID_LOGIN');
  });

  it('rejects a command that is empty once trimmed', async () => {
    const r = await rig().run('blank');
    assert.equal(r.error?.code, 'EMPTY_COMMAND');
    assert.equal(r.combinedOutput, 'empty command');
  });
});

describe('one-time-code pairs', () => {
  let clock = Date.UTC(2026, 10, 24, 12, 0, 10);
  const now = () => clock;
  const pairAt = (password: string, stepA: number, stepB: number) => {
    const s = pairSecrets(password);
    return codeOfBytes(s.a, stepA) + codeOfBytes(s.b, stepB);
  };
  const rig = () =>
    testRig(
      {
        filters: { pinAndShortcuts: { passwords: [PASSWORD, 'другой-пароль'] } },
        apps: { shell: { unrestricted: true } },
      },
      { now },
    );

  it('authorises one command text, repeatable, and refuses a different text', async () => {
    const r = rig();
    const step = stepAt(clock);
    const pair = pairAt(PASSWORD, step, step);
    assert.equal((await r.run(`line1\n ${pair}.s echo alpha\nline`)).output, 'alpha');
    assert.equal((await r.run(`${pair}.s echo alpha`)).output, 'alpha');
    const reused = await r.run(`${pair}.s echo other`);
    assert.equal(reused.error?.code, 'CODE_REUSED');
    assert.equal(reused.combinedOutput, 'one-time code already used with a different command');
  });

  it('refuses a pair crossed from the halves of two used pairs', async () => {
    const r = rig();
    const step = stepAt(clock);
    assert.equal((await r.run(`${pairAt(PASSWORD, step - 1, step - 1)}.s echo one`)).output, 'one');
    assert.equal((await r.run(`${pairAt(PASSWORD, step, step)}.s echo two`)).output, 'two');
    const crossed = await r.run(`${pairAt(PASSWORD, step, step - 1)}.s echo three`);
    assert.equal(crossed.error?.code, 'CODE_REUSED');
    // A half that is still fresh may be paired with a used one only for that one's own text.
    const retry = await r.run(`${pairAt(PASSWORD, step, step + 1)}.s echo two`);
    assert.equal(retry.output, 'two');
  });

  it('accepts each half one step early or late, and remembers every used pair', async () => {
    const r = rig();
    const step = stepAt(clock);
    const early = pairAt(PASSWORD, step - 1, step + 1);
    const late = pairAt(PASSWORD, step + 1, step);
    assert.equal((await r.run(`${early}.s echo 1`)).output, '1');
    assert.equal((await r.run(`${late}.s echo 2`)).output, '2');
    // Both stay bound to their first command, not only the latest pair (unlike laitos).
    assert.equal((await r.run(`${early}.s echo x`)).error?.code, 'CODE_REUSED');
    assert.equal((await r.run(`${late}.s echo x`)).error?.code, 'CODE_REUSED');
  });

  it('binds a pair to its command on every channel, whatever the order of passwords', async () => {
    const r = testRig(
      {
        filters: { pinAndShortcuts: { passwords: [PASSWORD, ALT] } },
        twilio: { filters: { pinAndShortcuts: { passwords: [ALT, PASSWORD] } } },
        apps: { shell: { unrestricted: true } },
      },
      { now },
    );
    const step = stepAt(clock);
    const pair = pairAt(PASSWORD, step, step);
    assert.equal((await r.run(`${pair}.s echo 1`)).output, '1');
    for (const channel of ['smtp', 'twilio'] as const) {
      assert.equal((await r.run(`${pair}.s echo 2`, { channel })).error?.code, 'CODE_REUSED');
    }
  });

  it('works for a password with non-ASCII characters (reversed by code point)', async () => {
    const step = stepAt(clock);
    assert.equal(
      (await rig().run(`${pairAt('другой-пароль', step, step)}.s echo ok`)).output,
      'ok',
    );
  });

  it('refuses a pair two steps old', async () => {
    const step = stepAt(clock);
    const stale = pairAt(PASSWORD, step - 2, step);
    assert.equal((await rig().run(`${stale}.s echo x`)).error?.code, 'INVALID_LOGIN');
  });

  it('forgets a used pair once it expired, and no longer accepts it', async () => {
    const r = rig();
    const step = stepAt(clock);
    const pair = pairAt(PASSWORD, step, step);
    assert.equal((await r.run(`${pair}.s echo 1`)).output, '1');
    clock += 90_000;
    assert.equal((await r.run(`${pair}.s echo 1`)).error?.code, 'INVALID_LOGIN');
    clock -= 90_000;
  });
});

describe('guard: limits and bans', () => {
  it('bans a source after 5 failed logins, on that channel only', async () => {
    const rig = testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    for (let i = 0; i < 5; i++) assert.equal((await rig.run('wrong')).error?.code, 'INVALID_LOGIN');
    const banned = await rig.run(`${PASSWORD}.e info`);
    assert.equal(banned.error?.code, 'BANNED');
    assert.equal(banned.combinedOutput, 'banned');
    assert.ok(rig.logs.some((l) => l.includes('banned after repeated failed logins')));
    const other = await rig.run(`${PASSWORD}.e bans`, { channel: 'smtp', source: 'a@example.com' });
    assert.match(other.output, /^192\.0\.2\.1 on http until \d{4}-/);
    const unban = await rig.run(`${PASSWORD}.e unban 192.0.2.1`, { channel: 'smtp' });
    assert.equal(unban.output, 'unbanned 192.0.2.1 (1 ban(s))');
    assert.equal((await rig.run(`${PASSWORD}.e bans`)).output, 'no bans');
  });

  it('limits each source per channel and answers "rate limited"', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      http: { rateLimit: { requests: 2, perSec: 60 } },
    });
    assert.equal((await rig.run(`${PASSWORD}.e bans`)).error, undefined);
    assert.equal((await rig.run(`${PASSWORD}.e bans`)).error, undefined);
    const third = await rig.run(`${PASSWORD}.e bans`);
    assert.equal(third.error?.code, 'RATE_LIMITED');
    assert.equal(third.combinedOutput, 'rate limited');
    assert.equal((await rig.run(`${PASSWORD}.e bans`, { source: '192.0.2.2' })).error, undefined);
  });

  it('applies the global limit across all sources', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      limits: { commandsPerSecond: 3, reservedForKnownSources: 0 },
    });
    const codes = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await rig.run(`${PASSWORD}.e bans`, { source: `198.51.100.${i}` })).error?.code);
    }
    assert.deepEqual(codes, [
      undefined,
      undefined,
      undefined,
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
  });

  it('keeps a share of the global budget for sources that authenticated before', async () => {
    const flood = async (reservedForKnownSources: number) => {
      const rig = testRig({
        filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
        limits: { commandsPerSecond: 20, reservedForKnownSources },
      });
      const owner = { source: '203.0.113.7' };
      assert.equal((await rig.run(`${PASSWORD}.e bans`, owner)).error, undefined);
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 200; i++) {
        await rig.run('guess .s id', { source: `198.51.100.${i}` });
        if (i % 40 === 39) codes.push((await rig.run(`${PASSWORD}.e bans`, owner)).error?.code);
      }
      return codes;
    };
    assert.deepEqual(await flood(0.5), [undefined, undefined, undefined, undefined, undefined]);
    // Without the reserve, the same flood spends the whole budget and the owner is refused.
    assert.ok((await flood(0)).includes('RATE_LIMITED'));
  });

  it('refuses a banned source before it spends the global budget', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      limits: { commandsPerSecond: 20, reservedForKnownSources: 0 },
      http: { rateLimit: { requests: 1000, perSec: 1 } },
    });
    const codes = new Set<string | undefined>();
    for (let i = 0; i < 200; i++) codes.add((await rig.run('guess .s id')).error?.code);
    assert.deepEqual([...codes], ['INVALID_LOGIN', 'BANNED']);
    assert.equal((await rig.run(`${PASSWORD}.e bans`, { source: '203.0.113.7' })).error, undefined);
  });

  it('keeps its memory bounded under a flood of distinct sources', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      limits: { commandsPerSecond: 1_000_000 },
      http: { rateLimit: { requests: 5, perSec: 60 } },
    });
    for (let i = 0; i < 50_000; i++) await rig.run('wrong', { source: `src-${i}` });
    assert.ok(rig.store.size <= 2 * 20_000 + 1, `store holds ${rig.store.size} entries`);
  });
});

describe('output: lintText, EMPTY OUTPUT, notification', () => {
  it('says EMPTY OUTPUT when nothing visible is left', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      apps: { shell: { unrestricted: true } },
    });
    const r = await rig.run(`${PASSWORD}.s printf '  \\n\\t '`);
    assert.equal(r.combinedOutput, 'EMPTY OUTPUT');
    assert.equal(r.output, 'EMPTY OUTPUT');
  });

  it('mails the result to the recipients, but not a failed login', async () => {
    const rig = testRig({
      filters: {
        pinAndShortcuts: { passwords: [PASSWORD] },
        notifyViaEmail: { recipients: ['owner@example.com'] },
      },
      apps: { shell: { unrestricted: true } },
    });
    await rig.run(`${PASSWORD}.s echo hi`, { channel: 'smtp' });
    await rig.run('wrong.s echo hi');
    assert.deepEqual(rig.mails, [
      { to: ['owner@example.com'], subject: '[switchboard] smtp .s echo hi', text: 'hi' },
    ]);
  });

  it('hides a sensitive app input in logs and subjects, and never logs a password', async () => {
    const rig = testRig({
      filters: {
        pinAndShortcuts: { passwords: [PASSWORD] },
        notifyViaEmail: { recipients: ['owner@example.com'] },
      },
      apps: { twoFA: { accounts: { 'test account': 'iuu3xchz3ftf6hdh' } } },
    });
    const r = await rig.run(`${PASSWORD}.2 test acc`);
    assert.match(r.output, /^test account: \d{6} \d{6} \d{6}$/);
    assert.equal(r.command.content, '.2 <hidden>');
    const viaPlt = await rig.run(`${PASSWORD}.plt 0 0 99999 .2 test acc`);
    assert.equal(viaPlt.error?.code, 'BAD_PLT');
    assert.equal(
      (await rig.run(`${PASSWORD}.plt 0 100 5 .2 test acc`)).command.content,
      '.2 <hidden>',
    );
    assert.equal(rig.mails[0]?.subject, '[switchboard] http .2 <hidden>');
    await rig.run(`${PASSWORD}.e info`);
    await rig.run(`x${PASSWORD}`);
    const logs = rig.logs.join('\n');
    assert.ok(!logs.includes(PASSWORD), 'a log line holds the password');
    assert.ok(!logs.includes('test acc'), 'a log line holds the hidden input');
  });
});

describe('apps through the pipeline', () => {
  it('runs the restricted shell by default', async () => {
    const rig = testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    assert.ok((await rig.run(`${PASSWORD}.s date`)).output.length >= 10);
    assert.match(
      (await rig.run(`${PASSWORD}.s rm -rf /tmp/x`)).combinedOutput,
      /^restricted shell/,
    );
  });

  it('.e info, log, warn, stop and a usage error', async () => {
    const rig = testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    assert.match((await rig.run(`${PASSWORD}.e info`)).output, /Sys\/prog uptime: /);
    assert.match((await rig.run(`${PASSWORD}.e log`)).output, /INFO command/);
    await rig.run('wrong-password');
    rig.services.logger.warn('something odd');
    assert.match((await rig.run(`${PASSWORD}.e warn`)).output, /^\S+ \S+ WARN something odd/);
    assert.equal((await rig.run(`${PASSWORD}.e stop`)).output, 'OK - stopping');
    await new Promise((r) => setImmediate(r));
    assert.equal(rig.stopRequests.length, 1);
    assert.match(
      (await rig.run(`${PASSWORD}.e nonsense`)).combinedOutput,
      /^usage: \.e info \| log/,
    );
  });

  it('.m queues a mail when a relay is configured, and is unknown without one', async () => {
    const withRelay = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD] } },
      mail: { smtp: { host: '127.0.0.1' } },
    });
    const r = await withRelay.run(`${PASSWORD}.m friend@example.com "sub "quoted" x" the body`);
    assert.match(r.output, /^queued for friend@example\.com \(8 characters/);
    assert.deepEqual(withRelay.mails.at(-1), {
      to: ['friend@example.com'],
      subject: 'sub "quoted" x',
      text: 'the body',
    });
    assert.match((await withRelay.run(`${PASSWORD}.m nonsense`)).combinedOutput, /^usage: \.m/);
    const without = testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    assert.equal((await without.run(`${PASSWORD}.m a@b.c "s" b`)).error?.code, 'UNKNOWN_APP');
  });

  it('abandons an app that ignores its timeout', async () => {
    const stuck = defineApp({
      trigger: '.z',
      name: 'stuck',
      docs: { enabled: 'always' },
      isConfigured: () => true,
      execute: () => new Promise<string>(() => undefined),
    });
    const rig = testRig(
      { filters: { pinAndShortcuts: { passwords: [PASSWORD] } } },
      { apps: [stuck] },
    );
    const r = await rig.run(`${PASSWORD}.z`, { timeoutSec: 1 });
    assert.equal(r.error?.code, 'APP_TIMEOUT');
    assert.equal(r.combinedOutput, 'timed out after 1s');
  });

  it('turns an app crash into "internal error" without a stack trace', async () => {
    const crash = defineApp({
      trigger: '.z',
      name: 'crash',
      docs: { enabled: 'always' },
      isConfigured: () => true,
      execute: () => {
        throw new TypeError('secret internals at /srv/x.js:1');
      },
    });
    const rig = testRig(
      { filters: { pinAndShortcuts: { passwords: [PASSWORD] } } },
      { apps: [crash] },
    );
    const r = await rig.run(`${PASSWORD}.z`);
    assert.equal(r.combinedOutput, 'internal error (see the log)');
  });
});

describe('robustness', () => {
  it('never throws and always answers something, whatever the input', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD], shortcuts: { s: '.e bans' } } },
      limits: { commandsPerSecond: 1_000_000, failedLoginsBeforeBan: 1_000_000 },
      http: { rateLimit: { requests: 1_000_000, perSec: 1 } },
    });
    const texts = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }).map((s) => `${PASSWORD}${s}`),
      fc
        .constantFrom('.plt', '.e', '.2', '.m', '.s', ' ', '\n')
        .chain((t) => fc.string({ unit: 'binary-ascii' }).map((s) => `${PASSWORD}${t}${s}`)),
      fc
        .string({ unit: fc.constantFrom('\ud800', 'a', '\n', 'é') })
        .map((s) => `${PASSWORD}.e ${s}`),
    );
    await fc.assert(
      fc.asyncProperty(texts, async (content) => {
        const r = await rig.run(content);
        assert.equal(typeof r.combinedOutput, 'string');
        assert.ok(r.combinedOutput.length > 0);
        assert.ok(!r.command.content.includes(PASSWORD));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses text that is not valid Unicode', async () => {
    const rig = testRig({ filters: { pinAndShortcuts: { passwords: [PASSWORD] } } });
    assert.equal((await rig.run(`${PASSWORD}.e \ud800`)).error?.code, 'INVALID_TEXT');
  });

  it('ships apps whose triggers do not clash', () => {
    assert.deepEqual(APPS.map((a) => a.trigger).sort(), [
      '.2',
      '.a',
      '.b',
      '.c',
      '.e',
      '.g',
      '.i',
      '.m',
      '.p',
      '.r',
      '.s',
      '.w',
      '.x',
    ]);
  });
});

describe('authorises', () => {
  it('tells a command from ordinary text without counting a failed login', async () => {
    const rig = testRig({
      filters: { pinAndShortcuts: { passwords: [PASSWORD], shortcuts: { sc: '.e bans' } } },
    });
    assert.equal(rig.pipeline.authorises('smtp', `Hello,\n${PASSWORD}.e info\nBye`), true);
    assert.equal(rig.pipeline.authorises('smtp', 'sc'), true);
    for (let i = 0; i < 10; i++)
      assert.equal(rig.pipeline.authorises('smtp', 'Hello, friend'), false);
    assert.deepEqual(await rig.store.listBans(), []);
  });
});
