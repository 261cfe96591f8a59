#!/usr/bin/env node
/** The `switchboard` executable: runs main() with this process's arguments and streams. */
import { keepYoungGenerationSmall } from './young-generation.js';

// Before main.js and everything it imports load: see young-generation.ts.
keepYoungGenerationSmall();
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
