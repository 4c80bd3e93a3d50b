import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = path.resolve('scripts/setup-host');

/**
 * Runs setup-host (optionally as another user, from a world-readable copy, since that user may
 * not reach the checkout) and returns its exit code and output.
 */
async function setupHost(args: string[], user?: string): Promise<{ code: number; out: string }> {
  if (user) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-setup-'));
    chmodSync(dir, 0o755);
    copyFileSync(script, path.join(dir, 'setup-host'));
    try {
      return await exec('su', [
        user,
        '-s',
        '/bin/bash',
        '-c',
        [path.join(dir, 'setup-host'), ...args].join(' '),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return exec(script, args);
}

async function exec(cmd: string, argv: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(cmd, argv as string[], { timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('scripts/setup-host', () => {
  it('changes nothing on a host that is ready: no install, no start, no rebuild', async () => {
    const { code, out } = await setupHost([]);
    expect(code).toBe(0);
    expect(out).not.toMatch(/installing|starting|building/);
    expect(out).toMatch(/^setup-host: host ready: Docker [\d.]+.*, Redis on 127\.0\.0\.1:6379$/m);
  });

  it('says what to do, and exits 1, when it cannot act as a non-root user', async () => {
    const { code, out } = await setupHost(['--no-images'], 'nobody');
    expect(code).toBe(1);
    expect(out).toContain('only root can start it');
    expect(out).toContain('add yourself to the docker group');
  });

  it('exits 2 on an unknown option', async () => {
    expect(await setupHost(['--bogus'])).toEqual({
      code: 2,
      out: 'setup-host: unknown option --bogus (see --help)\n',
    });
  });
});
