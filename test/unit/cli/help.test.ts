import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { createProgram } from '../../../src/cli/program.js';
import { runCli } from '../../harness/cli.js';

// Commands load their code only when they run (src/cli/*.ts import it in their action), so
// every option must be declared where the command is registered. These files are `--help` as
// it was before the commands were made lazy: an option that moved into lazily loaded code, or
// got lost, changes the output. After a deliberate change of a command line, rewrite the file:
//   node bin/berth.js get --help > test/unit/cli/fixtures/help/berth-get.txt
const HELP_DIR = fileURLToPath(new URL('fixtures/help/', import.meta.url));

/** Every command path of the program: [], ['up'], ['config'], ['config', 'view'], ... */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return [prefix, ...command.commands.flatMap((c) => commandPaths(c, [...prefix, c.name()]))];
}

const quiet: CliContext = {
  stdout: { write: () => true },
  stderr: { write: () => true },
  env: {},
  cwd: process.cwd(),
  exitCode: 0,
  stopSignal: new Promise(() => {}),
};
const paths = commandPaths(createProgram(quiet));
const fileOf = (p: string[]) => `${['berth', ...p].join('-')}.txt`;

describe('berth --help', () => {
  it('has a help file for every command and no file for a command that is gone', () => {
    expect(paths.map(fileOf).sort()).toEqual(
      readdirSync(HELP_DIR)
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    );
  });

  it.each(paths.map((p) => [['berth', ...p].join(' '), p] as const))(
    '%s --help lists every command, argument and option',
    async (_name, p) => {
      const { code, stdout, stderr } = await runCli([...p, '--help']);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toBe(readFileSync(path.join(HELP_DIR, fileOf(p)), 'utf8'));
    },
  );

  it('wraps at the width of the terminal it writes to', async () => {
    let out = '';
    const ctx = {
      ...quiet,
      stdout: { write: (s: string) => (out += s), isTTY: true, columns: 200 },
    };
    await createProgram(ctx)
      .parseAsync(['node', 'berth', '--help'])
      .catch(() => {});
    expect(out).toContain(
      '  up [options]                      Run Berth in the foreground: watch the sources and keep this host converged to them\n',
    );
  });
});
