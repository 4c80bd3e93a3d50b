import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../harness/cli.js';
import { git } from '../../harness/git.js';
import { REDIS_URL } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

describe('berth up', () => {
  const dir = useTempDir();

  it('--example makes a real git repository of the example, says where, and stops on Ctrl-C', async () => {
    const env = {
      BERTH_STATE_DIR: path.join(dir, 'state'),
      BERTH_REDIS_URL: REDIS_URL,
      BERTH_LOG_FORMAT: 'text',
    };
    const first = await runCli(['up', '--example'], {
      env,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    const repo = path.join(dir, 'state', 'examples-repo');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`made the example repository at ${repo}`);
    expect(await git(repo, 'log', '--format=%s', 'main')).toBe(
      'Example application: web and api tiers',
    );
    expect(await git(repo, 'ls-files')).toContain('web/deployment.yaml');
    expect(await git(repo, 'status', '--porcelain')).toBe('');

    // A second run keeps the user's commits.
    writeFileSync(path.join(repo, 'web', 'configmap.yaml'), 'changed\n');
    await git(repo, 'commit', '-qam', 'Change the page');
    const second = await runCli(['up', '--example'], {
      env,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`using the example repository at ${repo}`);
    expect(await git(repo, 'log', '-1', '--format=%s')).toBe('Change the page');
  });

  it('exits 1 with the address and the fix when Redis does not answer', async () => {
    const env = {
      BERTH_STATE_DIR: path.join(dir, 'state2'),
      BERTH_REDIS_URL: 'redis://:pw-in-url@127.0.0.1:1',
    };
    const run = await runCli(['up', '--repo', path.join(dir, 'nowhere')], {
      env,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis does not answer at redis://:***@127.0.0.1:1');
    expect(run.stderr).toContain('run scripts/setup-host');
    expect(run.stderr).not.toContain('pw-in-url');
    expect(existsSync(path.join(dir, 'state2', 'examples-repo'))).toBe(false);
  });
});
