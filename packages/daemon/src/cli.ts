#!/usr/bin/env node
/** The `switchboard` executable: runs main() with this process's arguments and streams. */
import { deferCompilers, keepYoungGenerationSmall } from './v8-tuning.js';

// Before main.js and everything it imports load: see v8-tuning.ts. `run` starts in V8's
// interpreter only and turns its compilers on once the daemon serves.
keepYoungGenerationSmall();
if (process.argv[2] === 'run') deferCompilers();
const { main } = await import('./main.js');

// A closed pipe (`switchboard totp | head`) ends the output; it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTty: process.stdout.isTTY,
});
