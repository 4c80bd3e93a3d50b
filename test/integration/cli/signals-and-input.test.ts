import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnBerth } from '../../harness/berth-process.js';
import { runCli } from '../../harness/cli.js';
import { useTempDir } from '../../harness/tmp.js';

// Issue #15: commands other than `up` ignored SIGINT/SIGTERM (validate on a FIFO ran 10 minutes
// after `timeout 5`); a symlinked directory failed with a raw EISDIR; control characters from
// manifests reached the terminal raw.
const dir = useTempDir();
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('signals end every command', () => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((s) => sockets.add(s)); // accepts, never answers
  afterAll(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });

  it('SIGTERM ends a plan blocked on a server that never answers (143)', async () => {
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const berth = spawnBerth(['plan', '--repo', `http://127.0.0.1:${port}/shop.git`], {
      env: { BERTH_STATE_DIR: path.join(dir, 'state') },
      cwd: dir,
    });
    // Wait until it is blocked on the server, then signal it.
    const deadline = Date.now() + 60_000;
    while (sockets.size === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(sockets.size).toBeGreaterThan(0);
    const code = await Promise.race([
      berth.stop('SIGTERM'),
      new Promise((r) => setTimeout(() => r('still running 20 s after SIGTERM'), 20_000)),
    ]);
    expect(code).toBe(143);
  }, 120_000);

  it('validate of a FIFO ends at once with a clear error instead of blocking', async () => {
    const fifo = path.join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await Promise.race([
      runCli(['validate', fifo], { cwd: dir }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('blocked on the FIFO')), 20_000),
      ),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a regular file or a directory');
  }, 30_000);
});

describe('validate input', () => {
  it('follows a symlinked directory given on the command line', async () => {
    const real = path.join(dir, 'real');
    mkdirSync(real);
    writeFileSync(path.join(real, 'cm.yaml'), cm('web'));
    symlinkSync(real, path.join(dir, 'linked'));
    const r = await runCli(['validate', path.join(dir, 'linked')], { cwd: dir });
    expect(r.stderr).not.toContain('EISDIR');
    expect(r.stdout).toContain('valid: 1 object in 1 file');
    expect(r.code).toBe(0);
  });

  it('escapes control characters from manifests in text output', async () => {
    const evil = path.join(dir, 'evil');
    mkdirSync(evil);
    writeFileSync(
      path.join(evil, 'cm.yaml'),
      `${cm('"x\\e[2J\\e]0;pwned\\a\\rvalid: 0 objects"')}data:\n  "k\\e[31m": v\n`,
    );
    const r = await runCli(['validate', evil], { cwd: dir });
    expect(r.code).toBe(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting they are absent.
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toContain('\\x1b[2J');
    expect(r.stdout).toContain('\\x0d');
  });
});
