/**
 * The processes descended from some pids, found by parentage in /proc (Linux). A command's
 * process group does not hold a descendant that left it (`setsid sleep 706 &`), but parentage
 * does while its parent lives: so a time limit can stop it too (DESIGN §11). Elsewhere, and where
 * /proc cannot be read, there is nothing to add to the group.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Every live process below `roots` (not the roots themselves), at this moment. */
export function descendantsOf(roots: Iterable<number>): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(name);
    if (ppid === undefined) continue;
    const list = children.get(ppid);
    if (list === undefined) children.set(ppid, [Number(name)]);
    else list.push(Number(name));
  }
  const found = new Set<number>();
  const queue = [...roots];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of children.get(next) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found];
}

/** The parent pid from /proc/PID/stat (`pid (comm) state ppid …`; comm may hold spaces). */
function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie is already dead: nothing to signal, and it holds no pipe.
    if (fields[0] === 'Z') return undefined;
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined; // gone meanwhile
  }
}
