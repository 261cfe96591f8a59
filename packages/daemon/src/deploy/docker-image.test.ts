/**
 * The Docker image without a container engine: the runtime stage's file tree is built by the
 * same script the Dockerfile runs, then started the way the image starts it (its ENTRYPOINT,
 * CMD, ENV, WORKDIR and USER, tini first) with /app, /config and /data as folders of their own:
 * the config read-only, the data folder owned by the image's user. Its HEALTHCHECK must pass,
 * and `switchboard ctl` must reach the daemon as `docker exec` runs it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { deadPort } from '@switchboard/core/testing';
import { REPO_ROOT, RunningDaemon } from '../harness.js';
import { envPairs, execForm, parseDockerfile, type Stage } from './dockerfile.js';

/** The official node images' `node` user. */
const NODE_UID = 1000;
const PASSWORD = 'docker-test-password';

const stages = parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1) as Stage;
const all = (keyword: string): string[] =>
  runtime.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
const last = (keyword: string): string => all(keyword).at(-1) ?? '';

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('the Docker image', () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-image-'));
  // What the image's paths are here: /app is the runtime tree, /config and /data are volumes.
  const paths: Record<string, string> = {
    '/app': join(root, 'app'),
    '/config': join(root, 'config'),
    '/data': join(root, 'data'),
  };
  const mapPath = (value: string): string =>
    value.replace(
      /(^|[=:\s])(\/app|\/config|\/data)(?=\/|$|\s|:)/g,
      (_m, lead: string, p: string) => {
        return `${lead}${paths[p] ?? p}`;
      },
    );
  let env: Record<string, string>;
  let httpPort: number;

  before(async () => {
    chmodSync(root, 0o755);
    // The runtime stage copies one folder from the build stage, which one script assembled.
    const copies = all('COPY');
    assert.equal(
      copies.length,
      1,
      `the runtime stage copies more than the tree: ${copies.join('; ')}`,
    );
    const copy = /^--from=(\S+)\s+(\S+)\s+(\S+)$/.exec(copies[0] ?? '');
    assert.ok(copy, `not a copy from the build stage: ${copies[0] ?? ''}`);
    const [, fromStage, treeDir, target] = copy;
    assert.equal(target, '/app');
    const build = stages.find((s) => s.name === fromStage);
    assert.ok(build, `no stage named ${fromStage ?? ''}`);
    const script = `node scripts/runtime-tree.mjs ${treeDir ?? ''}`;
    assert.ok(
      build.instructions.some((i) => i.keyword === 'RUN' && i.args.includes(script)),
      `the build stage does not run "${script}"`,
    );
    await promisify(execFile)(process.execPath, ['scripts/runtime-tree.mjs', paths['/app'] ?? ''], {
      cwd: REPO_ROOT,
    });

    mkdirSync(paths['/config'] ?? '', { mode: 0o755 });
    httpPort = await deadPort();
    // The docs' recipe: the example config with its own password, mail.outbox left out.
    writeFileSync(
      join(paths['/config'] ?? '', 'config.json'),
      JSON.stringify({
        filters: { pinAndShortcuts: { passwords: ['${SB_PASSWORD}'] } },
        http: { listen: `127.0.0.1:${httpPort}` },
        smtp: { listen: `127.0.0.1:${await deadPort()}`, myDomains: ['localhost'] },
      }),
      { mode: 0o644 },
    );
    env = { SB_PASSWORD: PASSWORD, TINI_SUBREAPER: '1' };
    for (const args of all('ENV')) for (const [k, v] of envPairs(args)) env[k] = mapPath(v);
  });

  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** The image's start command, with its paths mapped. */
  function startCommand(): string[] {
    return [...execForm(last('ENTRYPOINT')), ...execForm(last('CMD'))].map(mapPath);
  }

  it('runs as the unprivileged node user, with tini as its init', () => {
    assert.equal(last('USER'), 'node');
    assert.equal(startCommand()[0], '/usr/bin/tini');
    assert.deepEqual(all('VOLUME'), ['["/data"]']);
  });

  it('holds compiled JavaScript and production dependencies only', () => {
    const files = filesUnder(paths['/app'] ?? '');
    const ours = files.filter((f) => f.startsWith('packages/'));
    assert.ok(ours.includes('packages/daemon/dist/cli.js'));
    const strays = ours.filter(
      (f) => !/^packages\/[^/]+\/(package\.json|dist\/.+\.js|bin\/[^/]+\.js)$/.test(f),
    );
    assert.deepEqual(strays, []);
    assert.deepEqual(
      ours.filter((f) => /\.test\.js$|harness\.js$|testing\.js$|\/hostile\//.test(f)),
      [],
    );
    const packages = new Set(files.map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1]));
    for (const dev of ['typescript', 'eslint', 'prettier', 'fast-check', 'playwright-core']) {
      assert.ok(!packages.has(dev), `${dev} is a dev dependency, yet in the image`);
    }
    assert.ok(packages.has('express') && packages.has('pino'));
  });

  it('starts with the config read-only and keeps its state under /data; HEALTHCHECK passes', async () => {
    const data = paths['/data'] ?? '';
    mkdirSync(data, { recursive: true });
    chownSync(data, NODE_UID, NODE_UID); // what the docs have the reader do
    const daemon = new RunningDaemon(env.SWITCHBOARD_CONFIG ?? '', {
      command: startCommand(),
      env,
      cwd: mapPath(last('WORKDIR')),
      uid: NODE_UID,
    });
    try {
      await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'http');
      await daemon.waitFor((l) => l.msg === 'listening' && l.channel === 'smtp');
      assert.equal(statSync(join(data, 'outbox')).uid, NODE_UID);
      const check = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(last('HEALTHCHECK'));
      assert.ok(check, `HEALTHCHECK is not in exec form: ${last('HEALTHCHECK')}`);
      const [file = '', ...args] = execForm(check[1] ?? '').map(mapPath);
      const health = await promisify(execFile)(file, args, {
        env: { ...process.env, ...env },
        uid: NODE_UID,
        gid: NODE_UID,
      });
      assert.match(
        health.stdout,
        new RegExp(`^healthy: http://127\\.0\\.0\\.1:${httpPort}/healthz`),
      );
      // `docker exec <container> switchboard ctl status`: the image's user, environment and
      // PATH entry; the socket is under /data.
      assert.equal(statSync(join(data, 'control.sock')).uid, NODE_UID);
      const ctl = await promisify(execFile)(
        process.execPath,
        [join(paths['/app'] ?? '', 'packages/daemon/bin/switchboard.js'), 'ctl', 'status'],
        {
          env: { ...process.env, ...env },
          cwd: mapPath(last('WORKDIR')),
          uid: NODE_UID,
          gid: NODE_UID,
        },
      );
      assert.match(ctl.stdout, new RegExp(`^  http +http://127\\.0\\.0\\.1:${httpPort}/ `, 'm'));
      daemon.child.kill('SIGTERM');
      assert.equal(await daemon.exit(), 0, daemon.stderr);
    } finally {
      daemon.child.kill('SIGKILL');
      await daemon.exit();
    }
  });

  it('says what to fix when the data folder is not writable by the node user', async () => {
    const data = paths['/data'] ?? '';
    rmSync(data, { recursive: true, force: true });
    mkdirSync(data, { mode: 0o755 }); // as `mkdir -p` makes it on the host: root's
    const daemon = new RunningDaemon(env.SWITCHBOARD_CONFIG ?? '', {
      command: startCommand(),
      env,
      cwd: mapPath(last('WORKDIR')),
      uid: NODE_UID,
    });
    assert.equal(await daemon.exit(), 1);
    assert.match(
      daemon.stderr,
      new RegExp(`mail\\.outbox: cannot use ${data}/outbox: permission denied`),
    );
  });
});
