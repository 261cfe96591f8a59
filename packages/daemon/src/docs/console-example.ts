/**
 * Test support (not exported): a `console` block as commands and the output shown after each:
 * a line starting with `$ ` is a command (a trailing `\` continues it on the next line), the
 * lines up to the next command are its output.
 */

/** One command of an example and the output the page shows for it. */
export interface ConsoleStep {
  readonly command: string;
  readonly output: string;
}

/** The steps of a console block; text before the first `$ ` line is an error. */
export function consoleSteps(text: string): ConsoleStep[] {
  const steps: { command: string; output: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('$ ')) {
      let command = line.slice(2);
      while (command.endsWith('\\') && i + 1 < lines.length) command += `\n${lines[++i] ?? ''}`;
      steps.push({ command, output: [] });
      continue;
    }
    const step = steps.at(-1);
    if (step === undefined) throw new Error(`output before the first "$ " command: ${line}`);
    step.output.push(line);
  }
  return steps.map((s) => ({ command: s.command, output: s.output.join('\n') }));
}
