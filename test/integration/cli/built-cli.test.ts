import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `berth` as a user runs it: bin/berth.js over the build, whose command line is one bundled
// module (scripts/bundle-cli.mjs) while each command's code is still loaded by its action. The
// in-process CLI tests run the sources; these check what only the build can get wrong.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'berth.js');
const BUNDLE = path.join(ROOT, 'dist', 'cli', 'main.bundle.js');
const HELP = path.join(ROOT, 'test', 'unit', 'cli', 'fixtures', 'help');

async function berth(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

describe('the built berth command (bin/berth.js)', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build`);
    dir = mkdtempSync(path.join(os.tmpdir(), 'berth-built-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same help as the sources, for the program and a command', async () => {
    for (const [args, file] of [
      [['--help'], 'berth.txt'],
      [['get', '--help'], 'berth-get.txt'],
    ] as const) {
      const run = await berth([...args]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(readFileSync(path.join(HELP, file), 'utf8'));
    }
  });

  it('keeps one ConfigError class: a bad configuration read by lazily loaded code exits 2', async () => {
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(config, 'sources: 5\n');
    const run = await berth(['status', '--config', config]);
    expect(run.stderr).toContain('invalid configuration file');
    expect(run.stderr).toContain(`${config}:1:10: sources: expected array`);
    expect(run.code).toBe(2);
    // The bundle imports the error classes' modules instead of holding copies of them.
    const bundle = readFileSync(BUNDLE, 'utf8');
    expect(bundle).toContain('from "../config/config-error.js"');
    expect(bundle).not.toMatch(/class ConfigError\b/);
    expect(bundle).not.toMatch(/class BerthError\b/);
  });

  it("loads a command's code when it runs: validate of the example repository", async () => {
    const run = await berth(['validate', path.join(ROOT, 'examples-repo')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
