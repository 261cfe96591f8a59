#!/usr/bin/env node
// The `switchboard` bin. npm links a bin only if its file exists at install time, and dist/ is
// built after `npm ci`, so the bin is this committed file: it runs dist/cli.js, and in a source
// checkout whose build is missing it compiles first (scripts/quick-build.mjs says so).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  // Built from parts so that scripts/runtime-tree.mjs, which follows imports, leaves it out.
  const builder = new URL(
    ['..', '..', '..', 'scripts', 'quick-build.mjs'].join('/'),
    import.meta.url,
  );
  if (!existsSync(builder)) {
    process.stderr.write('switchboard: dist/cli.js is missing; build it with "npm run build"\n');
    process.exit(1);
  }
  const { quickBuild } = await import(builder.href);
  if (!(await quickBuild())) process.exit(1);
}
await import(cli.href);
