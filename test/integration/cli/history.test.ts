import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const cm = (v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: "${v}"\n`;

describe('berth history', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  it('lists what a source saw, newest first, linking a bad revision and its revert', async () => {
    const repo = await initRepo(path.join(dir, 'shop'));
    // The subject is the pusher's: its control characters must not reach the terminal (#15).
    const good = await commitFiles(repo, { 'cm.yaml': cm('1') }, 'First\x1b]0;pwned\x07\x1b[2J');
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const env = await berthEnv(dir, docker.id);
    expect((await runCli(['history', 'shop', '-c', config], { env, cwd: dir })).stdout).toBe(
      'No revisions recorded yet.\n',
    );
    const berth = startCli(['up', '-c', config], { env, cwd: dir });
    let revert = '';
    let bad = '';
    try {
      await berth.waitFor(`revision ${good.slice(0, 7)} is valid`);
      bad = await commitFiles(
        repo,
        { 'cm.yaml': cm('2').replace('name: web', 'name: Bad_Name') },
        'Break the name',
      );
      await berth.waitFor(`revision ${bad.slice(0, 7)} is invalid`);
      const rollback = await runCli(['rollback', 'shop', '-c', config], { env, cwd: dir });
      expect(rollback.code).toBe(0);
      revert = (rollback.stdout.split(' ')[1] as string).trim();
      await berth.waitFor(`revision ${revert} is valid`);
    } finally {
      await berth.stop();
    }

    const table = await runCli(['history', 'shop', '-c', config], { env, cwd: dir });
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REVISION\s+AGE\s+TRIGGER\s+RESULT\s+LINKS\s+SUBJECT$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${revert}\\s+\\d+s\\s+rollback\\s+Valid\\s+reverts ${bad.slice(0, 7)}\\s+Revert "Break the name"$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(
        `^${bad.slice(0, 7)}\\s+\\d+s\\s+watch\\s+Invalid \\(1 error\\)\\s+reverted by ${revert}\\s+Break the name$`,
      ),
    );
    expect(lines[3]).toMatch(
      new RegExp(
        `^${good.slice(0, 7)}\\s+\\d+s\\s+start\\s+Valid\\s+<none>\\s+First\\\\x1b\\]0;pwned\\\\x07\\\\x1b\\[2J$`,
      ),
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting they are absent.
    expect(table.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);

    const json = JSON.parse(
      (await runCli(['history', 'shop', '-c', config, '-o', 'json'], { env, cwd: dir })).stdout,
    );
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(
      json.items.map((i: { metadata: { name: string }; status: { result: string } }) => [
        i.metadata.name,
        i.status.result,
      ]),
    ).toEqual([
      [expect.stringMatching(new RegExp(`^${revert}`)), 'Valid'],
      [bad, 'Invalid'],
      [good, 'Valid'],
    ]);
    expect(json.items[1]).toMatchObject({
      kind: 'Revision',
      status: {
        trigger: 'watch',
        errors: 1,
        revertedBy: expect.stringMatching(new RegExp(`^${revert}`)),
      },
    });
    expect((await runCli(['history', 'blog', '-c', config], { env, cwd: dir })).code).toBe(2);
  });
});
