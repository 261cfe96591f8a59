// The build that `npm start` and the first `npx switchboard` run: each package's src/*.ts (tests
// left out) compiled one file at a time to dist/*.js with TypeScript's transpileModule, only the
// files whose source is newer than their output. It checks no types and writes no declarations,
// which makes a fresh clone's first start take about 2 s instead of the 12 s of `tsc -b`;
// `npm run build` and `npm test` still run the full, type-checked build, and
// packages/daemon/src/deploy/quick-build.test.ts proves both write the same JavaScript.
// Run alone: `node scripts/quick-build.mjs [OUTDIR]` (OUTDIR: write there instead, for tests).
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every non-test source of each workspace package, with the output tsc writes for it. */
function sources(outRoot) {
  const found = [];
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const folder of workspaces) {
    const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
    // transpileModule cannot read package.json: it is told the module kind, ESM for us all.
    if (pkg.type !== 'module') throw new Error(`${folder} is not "type": "module"`);
    const src = join(root, folder, 'src');
    for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (!entry.isFile() || !file.endsWith('.ts') || /\.(test|d)\.ts$/.test(file)) continue;
      const dist = join(outRoot ?? root, folder, 'dist');
      found.push({ folder, file, out: join(dist, relative(src, file)).replace(/\.ts$/, '.js') });
    }
  }
  return found;
}

/** Whether `out` is missing or older than `file`. */
function stale({ file, out }) {
  try {
    return statSync(out).mtimeMs < statSync(file).mtimeMs;
  } catch {
    return true;
  }
}

/**
 * Compiles what changed (everything into `outRoot` if given); says so on stderr, and returns
 * false (after saying why) when it could not.
 */
export async function quickBuild(outRoot) {
  const todo = sources(outRoot).filter((s) => outRoot !== undefined || stale(s));
  if (todo.length === 0) return true;
  const first = todo.some((s) => s.out.endsWith(join('daemon', 'dist', 'cli.js')));
  process.stderr.write(
    first
      ? 'switchboard: compiling the TypeScript sources (first start only)...\n'
      : `switchboard: compiling ${todo.length} changed file(s)...\n`,
  );
  const started = performance.now();
  let ts;
  try {
    ts = (await import('typescript')).default;
  } catch {
    process.stderr.write(
      'switchboard: cannot compile: TypeScript is missing; run "npm ci" first\n',
    );
    return false;
  }
  const options = new Map();
  for (const { folder, file, out } of todo) {
    if (!options.has(folder)) {
      const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
      const parsed = ts.getParsedCommandLineOfConfigFile(
        join(root, folder, 'tsconfig.json'),
        {},
        host,
      );
      options.set(folder, {
        ...parsed.options,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler, // ESNext's partner; nothing is resolved
        sourceMap: false,
        declaration: false,
        composite: false,
      });
    }
    const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: options.get(folder),
      fileName: file,
      reportDiagnostics: true,
    });
    if (diagnostics.length > 0) {
      const text = ts.formatDiagnostics(diagnostics, {
        ...ts.sys,
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => '\n',
      });
      process.stderr.write(`${text}switchboard: cannot compile ${relative(root, file)}\n`);
      return false;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stderr.write(`switchboard: compiled ${todo.length} file(s) in ${seconds} s\n`);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = (await quickBuild(process.argv[2])) ? 0 : 1;
}
