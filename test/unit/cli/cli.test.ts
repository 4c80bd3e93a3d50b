import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../harness/cli.js';

describe('berth command line', () => {
  it('lists every command in --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['up', 'config'])
      expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('exits 2 on an unknown command or option, saying what is wrong', async () => {
    const unknown = await runCli(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'deploy'");
    const badOption = await runCli(['up', '--replicas', '3']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("unknown option '--replicas'");
  });

  it('exits 2 when flags contradict each other, before touching Docker or Redis', async () => {
    expect(await runCli(['up', '--branch', 'main'])).toMatchObject({
      code: 2,
      stderr: 'berth: --branch needs --repo\n',
    });
    expect((await runCli(['up', '--example', '--repo', '/srv/x'])).code).toBe(2);
    const none = await runCli(['up'], { cwd: mkdtempSync(path.join(os.tmpdir(), 'berth-cli-')) });
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain(
      'nothing to run: give --example, --repo PATH|URL, or list sources in berth.yaml',
    );
  });

  it('exits 2 on an invalid berth.yaml and names file, line and column', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));
    writeFileSync(
      path.join(dir, 'berth.yaml'),
      'apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis:\n  host: x\n',
    );
    const { code, stderr } = await runCli(['config', 'view'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain(`${path.join(dir, 'berth.yaml')}:4:3: redis.host: unknown field`);
  });

  it('prints the effective configuration with environment overrides and no secret values', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));
    writeFileSync(
      path.join(dir, 'berth.yaml'),
      [
        'apiVersion: berth.dev/v1alpha1',
        'kind: BerthConfig',
        'sources:',
        '  - name: shop',
        '    repo: https://git.example.test/shop.git',
        '    auth: {username: deploy, password: {env: SHOP_TOKEN}}',
      ].join('\n'),
    );
    const env = { BERTH_REDIS_URL: 'redis://10.1.2.3:6390', SHOP_TOKEN: 'hunter2-token' };
    const { code, stdout } = await runCli(['config', 'view', '-o', 'json'], { cwd: dir, env });
    expect(code).toBe(0);
    const config = JSON.parse(stdout);
    expect(config.redis.url).toBe('redis://10.1.2.3:6390');
    expect(config.sources[0].auth).toEqual({ username: 'deploy', password: { env: 'SHOP_TOKEN' } });
    expect(stdout).not.toContain('hunter2-token');
  });
});
