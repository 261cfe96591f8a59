/**
 * Named commands (DESIGN §12, issue 13): a program with a fixed argv whose arguments are checked
 * and substituted whole, run as `.x NAME ARG ...` on every channel and over
 * `POST /api/commands/{name}`. Driven through the real daemon with fetch and curl.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curl } from '@switchboard/core/testing';
import { configDir, runCli } from '../harness.js';
import { daemonPerSuite, postCommand } from '../hostile/http-client.js';
import { namedCommandsConfig, PASSWORD, postNamed } from './support.js';

const marker = join(mkdtempSync(join(tmpdir(), 'sb-named-')), 'pwned');

describe('named commands', () => {
  const suite = daemonPerSuite(() => namedCommandsConfig());
  const from = (n: number): Record<string, string> => ({ 'x-forwarded-for': `192.0.2.${n}` });

  it('run as .x NAME ARG over the text API, each value one argument', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .x args a;b two`, from(1));
    assert.deepEqual(answer.body, { ok: true, output: '[xa;by]\n[two]', error: null });
  });

  it('never pass a value through a shell (POST /api/commands/{name})', async () => {
    const word = `a b; touch ${marker}; $(touch ${marker}) \`touch ${marker}\``;
    const answer = await postNamed(suite.url, 'args', { password: PASSWORD, args: { word } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.output, `[x${word}y]\n[one]`);
    assert.equal(existsSync(marker), false);
  });

  it('list what may run for .x alone', async () => {
    const answer = await postCommand(suite.url, `${PASSWORD} .x`, from(2));
    assert.equal(answer.body.output, 'args disk once slow');
  });

  it('answer an unknown or disabled name with 404 and the names the caller may run', async () => {
    for (const name of ['nope', 'off']) {
      const answer = await postNamed(suite.url, name, { password: PASSWORD });
      assert.equal(answer.status, 404, name);
      assert.equal(answer.body.error, 'unknown command; you may run: args disk once slow');
    }
    const text = await postCommand(suite.url, `${PASSWORD} .x nope`, from(3));
    assert.equal(text.status, 404);
  });

  it('refuse bad arguments with 400, naming the argument, and run nothing', async () => {
    const cases: [unknown, string][] = [
      [{ path: '/etc; rm -rf /' }, 'argument "path" must match /[a-z/]*'],
      [{ path: '/', size: 'x' }, 'unknown argument "size": disk takes path'],
    ];
    for (const [args, error] of cases) {
      const answer = await postNamed(suite.url, 'disk', { password: PASSWORD, args });
      assert.deepEqual([answer.status, answer.body.error], [400, error]);
    }
    const missing = await postNamed(suite.url, 'slow', { password: PASSWORD });
    assert.deepEqual([missing.status, missing.body.error], [400, 'argument "sec" is required']);
    const enumBad = await postCommand(suite.url, `${PASSWORD} .x args a three`, from(4));
    assert.equal(enumBad.body.error, 'argument "other" must be one of one, two');
    const extra = await postCommand(suite.url, `${PASSWORD} .x disk / /tmp`, from(4));
    assert.deepEqual(
      [extra.status, extra.body.error],
      [400, 'too many arguments: disk takes path'],
    );
  });

  it('use the default of an argument left out', async () => {
    const answer = await postNamed(suite.url, 'disk', { password: PASSWORD });
    assert.equal(answer.status, 200);
    assert.match(answer.body.output ?? '', /^Filesystem/);
  });

  it('refuse malformed bodies with 400 and oversized ones with 413 (curl)', async () => {
    const url = `${suite.url}/api/commands/disk`;
    const json = ['-H', 'content-type: application/json'];
    for (const body of ['{"args": ', '[1]', '{"args": {"path": 1}}', '{"argz": {}}']) {
      const r = await curl([...json, '-d', body, url]);
      assert.equal(r.status, 400, body);
      assert.match(r.body, /"error":"body must be JSON/);
    }
    const big = JSON.stringify({ args: { path: `/${'a'.repeat(70_000)}` } });
    const r = await curl([...json, '--data-binary', big, url]);
    assert.equal(r.status, 413);
    const name = await curl([...json, '-d', '{}', `${suite.url}/api/commands/a%20b`]);
    assert.equal(name.status, 404);
    assert.equal((JSON.parse(name.body) as { error: string }).error, 'unknown command');
  });

  it('honour a command’s own timeout, sources and rate', async () => {
    const slow = await postCommand(suite.url, `${PASSWORD} .x slow 5`, from(5));
    assert.equal(slow.body.error, 'killed after 1s');
    const outside = await postCommand(suite.url, `${PASSWORD} .x lan`, from(6));
    assert.deepEqual([outside.status, outside.body.error], [403, 'not permitted']);
    const inside = await postCommand(suite.url, `${PASSWORD} .x lan`, {
      'x-forwarded-for': '10.1.2.3',
    });
    assert.equal(inside.body.output, 'lan');
    assert.equal((await postCommand(suite.url, `${PASSWORD} .x once`, from(7))).status, 200);
    const again = await postCommand(suite.url, `${PASSWORD} .x once`, from(8));
    assert.deepEqual([again.status, again.body.error], [429, 'rate limited']);
  });

  it('need a credential: none is a failed login like a wrong password', async () => {
    const answer = await postNamed(suite.url, 'disk', {}, from(9));
    assert.deepEqual([answer.status, answer.body.error], [401, 'invalid password or shortcut']);
  });
});

describe('named commands in check', () => {
  it('name the key of a missing program, a pattern that does not compile, a stray placeholder', async () => {
    const path = configDir(
      namedCommandsConfig({
        commands: {
          gone: { run: ['no-such-program-here'] },
          rel: { run: ['./bin/x'] },
          bad: { run: ['echo', '{a}'], args: { a: { pattern: '(' } } },
          stray: { run: ['echo', '{b}'] },
          open: { run: ['echo', '{c}'], args: { c: {} } },
          dflt: { run: ['echo', '{d}'], args: { d: { enum: ['x'], default: 'y' } } },
        },
      }),
    );
    const first = await runCli(['check', '-c', path]);
    assert.equal(first.code, 1);
    for (const line of [
      'commands.bad.args.a.pattern: does not compile',
      'commands.stray.run[1]: {b} is not one of its args',
      'commands.open.args.c: needs a pattern or an enum',
      'commands.dflt.args.d.default: must itself match the pattern or enum',
    ]) {
      assert.ok(first.stderr.includes(line), `${line}\n${first.stderr}`);
    }
    const programs = configDir(
      namedCommandsConfig({
        commands: { gone: { run: ['no-such-program-here'] }, rel: { run: ['./bin/x'] } },
      }),
    );
    const second = await runCli(['check', '-c', programs]);
    assert.equal(second.code, 1);
    assert.ok(
      second.stderr.includes('commands.gone.run[0]: "no-such-program-here" is not found on PATH'),
      second.stderr,
    );
    assert.ok(second.stderr.includes('commands.rel.run[0]: "./bin/x": must be absolute'));
  });
});
