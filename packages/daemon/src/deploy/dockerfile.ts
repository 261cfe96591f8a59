/**
 * Test support (not exported): reads a Dockerfile into stages and instructions, so a test can
 * run what the image runs without a container engine.
 */

/** One instruction: its keyword in upper case and its arguments, continuation lines joined. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** One build stage: `FROM image [AS name]` and the instructions after it. */
export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

/** The stages of a Dockerfile, in order. */
export function parseDockerfile(text: string): Stage[] {
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const line of logicalLines(text)) {
    const match = /^(\S+)\s*(.*)$/s.exec(line);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`${keyword} before the first FROM`);
    stage.instructions.push({ keyword, args });
  }
  return stages;
}

/** The arguments of an exec-form instruction (`["a", "b"]`); throws for the shell form. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) {
    throw new Error(`not an exec-form argument list: ${args}`);
  }
  return parsed;
}

/** `ENV A=1 B=2` (unquoted values only, which is all our Dockerfile uses) as pairs. */
export function envPairs(args: string): [string, string][] {
  return args.split(/\s+/).map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0 || /["']/.test(pair)) throw new Error(`unsupported ENV form: ${pair}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

/** The instructions' lines: comments and blank lines dropped, `\` continuations joined. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(current + line);
    current = '';
  }
  if (current !== '') lines.push(current);
  return lines;
}
