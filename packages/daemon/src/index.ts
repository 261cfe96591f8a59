/** @switchboard/daemon: the CLI entry points, for composition and tests. */
export { EXIT, UsageError, type Io } from './io.js';
