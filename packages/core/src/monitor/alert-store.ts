/**
 * The monitor's alert state on disk (`monitor.json` in the state directory): which figures are
 * alerting and since when, written atomically on every change, so a restart mid-alert does not
 * send the alert again and still sends the recovery.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isPlainObject } from '../config/json-path.js';
import { errorCode } from '../config/system-reason.js';
import type { Alerting } from './thresholds.js';

/** Reads and writes one state file. */
export class AlertStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * The saved alerts; none when there is no file yet or it is not JSON (a damaged file costs
   * at most one repeated alert). Entries of another shape are dropped.
   */
  async load(): Promise<Record<string, Alerting>> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return {};
      throw err;
    }
    let saved: unknown;
    try {
      saved = JSON.parse(text);
    } catch {
      return {};
    }
    const alerting = isPlainObject(saved) && isPlainObject(saved.alerting) ? saved.alerting : {};
    const valid = Object.entries(alerting).filter(
      (entry): entry is [string, Alerting] =>
        isPlainObject(entry[1]) &&
        typeof entry[1].since === 'number' &&
        typeof entry[1].value === 'number',
    );
    return Object.fromEntries(valid.map(([key, a]) => [key, { since: a.since, value: a.value }]));
  }

  /** Replaces the file: temp file, then rename, so a reader never sees half of it. */
  async save(alerting: Readonly<Record<string, Alerting>>): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = join(dirname(this.path), `.monitor-${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, JSON.stringify({ alerting }, null, 2) + '\n', {
        mode: 0o600,
        flush: true,
      });
      await rename(tmp, this.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }
}
