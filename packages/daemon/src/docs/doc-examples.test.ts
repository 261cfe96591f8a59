/**
 * Executable docs: every shell example in README.md and docs/*.md is marked `runnable` or
 * `not-runnable: why`, and each runnable one is run here as a reader would run it, in one shell
 * per page, in a folder of its own that holds config.example.json and the files the page writes
 * (`json file=NAME` blocks). A page that talks to a daemon names its config and the addresses it
 * shows (`<!-- doc-examples: daemon=config.example.json http=127.0.0.1:8080 -->`); the daemon
 * then runs on free ports, with per-source limits raised so that the examples' pace never
 * counts, and the commands are pointed at those ports. A `console` example's output must match
 * what the page shows (times, ids and codes normalised; `...` elides); a runnable `sh` example
 * must exit 0. docs/development.md describes the marks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { configDir, REPO_ROOT, RunningDaemon } from '../harness.js';
import { consoleSteps } from './console-example.js';
import {
  codeBlocks,
  fileOf,
  pageSettings,
  SHELL_LANGS,
  type CodeBlock,
} from './markdown-blocks.js';
import { normalise, outputMatches } from './output-match.js';
import { ShellSession } from './shell-session.js';

const PAGES = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];
/** Per-source limits for the docs' daemon: examples run faster than people type. */
const NO_LIMIT = { requests: 100_000, perSec: 1 };

const read = (page: string): string => readFileSync(join(REPO_ROOT, page), 'utf8');
const isRunnable = (b: CodeBlock): boolean => /^runnable\b/.test(b.meta);
const isMarked = (b: CodeBlock): boolean => isRunnable(b) || /^not-runnable: \S/.test(b.meta);

/** Daemons that pages share, by their settings; stopped after the last page. */
class Daemons {
  readonly #running = new Map<
    string,
    Promise<{ daemon: RunningDaemon; ports: Map<string, string> }>
  >();

  /** The daemon for `settings`, started on first use; maps each shown address to the real one. */
  async for(settings: ReadonlyMap<string, string>): Promise<Map<string, string>> {
    const key = JSON.stringify([...settings]);
    let running = this.#running.get(key);
    if (running === undefined) {
      running = start(settings);
      this.#running.set(key, running);
    }
    return (await running).ports;
  }

  /** Stops every daemon. */
  async stop(): Promise<void> {
    for (const running of this.#running.values()) {
      const { daemon } = await running;
      daemon.child.kill('SIGTERM');
      await daemon.exit();
    }
  }
}

/** Starts the daemon of a page's settings; its ports map: shown `host:port` → real one. */
async function start(settings: ReadonlyMap<string, string>) {
  const file = settings.get('daemon') ?? '';
  const config = JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as Record<string, unknown>;
  const shown = new Map<string, string>();
  for (const [channel, address] of settings) {
    if (channel === 'daemon') continue;
    const block = (config[channel] ?? {}) as Record<string, unknown>;
    config[channel] = { ...block, listen: address.replace(/:\d+$/, ':0'), rateLimit: NO_LIMIT };
    shown.set(channel, address);
  }
  const daemon = new RunningDaemon(configDir({ ...config, $schema: undefined }));
  const ports = new Map<string, string>();
  for (const [channel, address] of shown) {
    const line = await daemon.waitFor((l) => l.msg === 'listening' && l.channel === channel);
    const port = /:(\d+)\/?$/.exec(String(line.address))?.[1] ?? '';
    ports.set(address, address.replace(/:\d+$/, `:${port}`));
  }
  return { daemon, ports };
}

/** `command` pointed at the real ports: `host:port` and swaks' `--port N`. */
function retarget(command: string, ports: ReadonlyMap<string, string>): string {
  let out = command;
  for (const [shown, real] of ports) {
    const [shownPort, realPort] = [shown, real].map((a) => /:(\d+)$/.exec(a)?.[1] ?? '');
    out = out
      .split(shown)
      .join(real)
      .replace(new RegExp(`--port ${shownPort}\\b`, 'g'), `--port ${realPort}`);
  }
  return out;
}

/** `output` with the real ports shown as the page shows them. */
function asShown(output: string, ports: ReadonlyMap<string, string>): string {
  let out = output;
  for (const [shown, real] of ports) out = out.split(real).join(shown);
  return out;
}

/** A deep merge of JSON objects: what a reader does who adds a snippet to their file. */
function merge(base: unknown, add: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return add;
  if (typeof add !== 'object' || add === null || Array.isArray(add)) return add;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(add)) out[k] = merge(out[k], v);
  return out;
}

const daemons = new Daemons();
after(() => daemons.stop());

describe('the shell examples in the docs', () => {
  for (const page of PAGES) {
    it(`are each marked runnable or not-runnable: why, in ${page}`, () => {
      const unmarked = codeBlocks(read(page))
        .filter((b) => SHELL_LANGS.has(b.lang) && !isMarked(b))
        .map((b) => `${page}:${b.line}: \`\`\`${b.lang} ${b.meta}`);
      assert.deepEqual(unmarked, []);
    });
  }
});

for (const page of PAGES) {
  const markdown = read(page);
  const blocks = codeBlocks(markdown);
  if (!blocks.some(isRunnable)) continue;
  const settings = pageSettings(markdown);

  describe(`the runnable examples of ${page}`, () => {
    const workdir = mkdtempSync(join(tmpdir(), 'sb-docs-'));
    const written = new Set<CodeBlock>();
    let shell: ShellSession;
    let ports = new Map<string, string>();

    before(async () => {
      chmodSync(workdir, 0o755);
      copyFileSync(join(REPO_ROOT, 'config.example.json'), join(workdir, 'config.example.json'));
      // `switchboard` and `npx switchboard` as in a checkout after `npm ci`.
      const bin = join(workdir, 'node_modules/.bin');
      mkdirSync(bin, { recursive: true });
      symlinkSync(join(REPO_ROOT, 'packages/daemon/bin/switchboard.js'), join(bin, 'switchboard'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`,
        // npx must never fetch a package named switchboard from the registry.
        npm_config_yes: 'false',
      };
      shell = new ShellSession(workdir, env);
      if (settings.has('daemon')) ports = await daemons.for(settings);
    });

    after(() => {
      shell.close();
      rmSync(workdir, { recursive: true, force: true });
    });

    /** Writes (or adds to) the files of the page's `file=` blocks above `block`. */
    function writeFilesBefore(block: CodeBlock): void {
      for (const b of blocks) {
        const file = fileOf(b);
        if (b.line > block.line || file === undefined || written.has(b)) continue;
        written.add(b);
        const path = join(workdir, file);
        let text = b.text;
        if (b.lang === 'json' && existsSync(path)) {
          text = JSON.stringify(
            merge(JSON.parse(readFileSync(path, 'utf8')), JSON.parse(b.text)),
            null,
            2,
          );
        }
        writeFileSync(path, `${text}\n`);
      }
    }

    for (const block of blocks.filter(isRunnable)) {
      const where = `${page}:${block.line}`;
      if (block.lang === 'console') {
        it(`${where}: ${consoleSteps(block.text)[0]?.command.split('\n')[0] ?? ''}`, async () => {
          writeFilesBefore(block);
          for (const step of consoleSteps(block.text)) {
            const { output } = await shell.run(retarget(step.command, ports));
            const got = asShown(output, ports);
            assert.ok(
              outputMatches(step.output, got),
              `${where}: $ ${step.command}\n--- the page shows:\n${normalise(step.output)}\n--- it printed:\n${normalise(got)}`,
            );
          }
        });
      } else {
        it(`${where}: ${block.text.split('\n')[0] ?? ''}`, async () => {
          writeFilesBefore(block);
          const { output, status } = await shell.run(retarget(block.text, ports));
          assert.equal(status, 0, `${where} exited ${status}:\n${output}`);
        });
      }
    }
  });
}
