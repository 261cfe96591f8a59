#!/usr/bin/env node
/** The `switchboard` executable: runs main() with this process's arguments and streams. */
import { main } from './main.js';

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
