/**
 * Watches the config file's directory (DESIGN §7): editors replace files by rename, which a
 * watch on the file itself would lose. Changes are debounced so one save is one reload.
 */
import { basename, dirname } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

/** How long the file must be quiet before a reload. */
const DEBOUNCE_MS = 300;

/** Calls `onChange` after the file at `path` changes; close() stops watching. */
export async function watchConfig(
  path: string,
  onChange: () => void,
): Promise<{ close(): Promise<void> }> {
  const name = basename(path);
  const watcher: FSWatcher = watch(dirname(path), {
    ignoreInitial: true,
    depth: 0,
    ignored: (p, stats) => stats?.isFile() === true && basename(p) !== name,
  });
  let timer: NodeJS.Timeout | undefined;
  const changed = (p: string): void => {
    if (basename(p) !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
  };
  watcher.on('add', changed).on('change', changed);
  await new Promise<void>((resolve) => watcher.once('ready', resolve));
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
