// `node scripts/runtime-tree.mjs DIR`: puts into DIR what the daemon needs at run time, after
// `npm ci` and `npm run build`: each workspace package's package.json and bin, the compiled
// JavaScript the CLI reaches by its imports (no sources, tests, test support, declarations or
// source maps), and the production dependencies as npm lists them (`npm ls --omit=dev`). The
// Dockerfile's runtime stage is this tree; packages/daemon/src/deploy/docker-image.test.ts
// builds it the same way and runs it as the image would.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = process.argv[2];
if (target === undefined) {
  process.stderr.write('usage: node scripts/runtime-tree.mjs DIR\n');
  process.exit(2);
}
const out = resolve(target);
if (existsSync(out) && readdirSync(out).length > 0) {
  process.stderr.write(`runtime-tree: ${out} is not empty\n`);
  process.exit(1);
}

/** Copies `path` (relative to the repository) into the tree. */
function copy(path) {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  cpSync(join(root, path), join(out, path), { recursive: true, verbatimSymlinks: true });
}

// Workspace packages: name → folder, and their package.json and bins.
const workspaces = new Map();
for (const folder of JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces) {
  const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  workspaces.set(pkg.name, { folder, pkg });
}

// The compiled JavaScript, by following imports from the bins: `import ... from '...'`,
// `export ... from '...'`, `import('...')` and `new URL('...', import.meta.url)` with a literal
// path. Other packages' files are found through their `exports`; npm dependencies are below.
const SPECIFIERS = [
  /\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bnew URL\(\s*['"]([^'"]+)['"],\s*import\.meta\.url\s*\)/g,
];
const seen = new Set();
const queue = [];
for (const { folder, pkg } of workspaces.values()) {
  copy(join(folder, 'package.json'));
  for (const bin of Object.values(pkg.bin ?? {})) queue.push(join(folder, bin));
}
while (queue.length > 0) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  if (!existsSync(join(root, file)))
    throw new Error(`${file} is imported but missing; build first`);
  seen.add(file);
  if (!file.endsWith('.js') && !file.endsWith('.mjs')) continue; // package.json, ...
  const text = readFileSync(join(root, file), 'utf8');
  for (const pattern of SPECIFIERS) {
    for (const [, specifier] of text.matchAll(pattern)) {
      const found = resolveSpecifier(specifier, file);
      if (found !== undefined) queue.push(found);
    }
  }
}
for (const file of seen) if (!file.endsWith('package.json')) copy(file);

/** A specifier of `from` as a repository path, or undefined for an npm dependency. */
function resolveSpecifier(specifier, from) {
  if (specifier.startsWith('.')) return relative(root, resolve(root, dirname(from), specifier));
  const [scope, name, ...sub] = specifier.split('/');
  const workspace = workspaces.get(`${scope}/${name}`);
  if (workspace === undefined) return undefined;
  const entry = workspace.pkg.exports?.[sub.length === 0 ? '.' : `./${sub.join('/')}`];
  const path = typeof entry === 'string' ? entry : entry?.default;
  if (path === undefined) throw new Error(`${specifier} (imported by ${from}) is not exported`);
  return join(workspace.folder, path);
}

// Production dependencies, as npm itself decides them. Each package's own folder is copied
// without its node_modules: nested packages are listed (and copied) on their own.
const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 16 * 1024 * 1024,
});
for (const dir of listed.split('\n')) {
  const path = relative(root, dir);
  if (path === '' || !path.startsWith('node_modules')) continue;
  if (lstatSync(dir).isSymbolicLink()) {
    // A workspace package: the same relative link, to the folder copied above.
    mkdirSync(dirname(join(out, path)), { recursive: true });
    if (!existsSync(join(out, path))) symlinkSync(readlinkSync(dir), join(out, path));
    continue;
  }
  mkdirSync(join(out, path), { recursive: true });
  for (const entry of readdirSync(dir)) {
    if (entry !== 'node_modules') copy(join(path, entry));
  }
}
process.stdout.write(`runtime-tree: ${out} (${seen.size} files of ours)\n`);
