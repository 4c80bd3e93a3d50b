import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  isRevertMessage,
  RevertConflictError,
  revertCommits,
} from '../../../src/rollback/index.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useTempDir } from '../../harness/tmp.js';

const author = { name: 'Berth', email: 'berth@localhost' };

/** A deployment manifest with 30 lines, so edits far apart do not touch each other. */
function deployment(image: string, replicas = 3, extra = ''): string {
  const filler = Array.from({ length: 20 }, (_, i) => `    example.com/note-${i}: "${i}"`).join(
    '\n',
  );
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n${filler}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n${extra}`;
}

/** What real `git revert` makes of the same request, in a throwaway clone: its tree, or 'conflict'. */
async function gitRevertTree(repo: string, dir: string, commits: string[]): Promise<string> {
  await git(path.dirname(dir), 'clone', '--quiet', repo, dir);
  try {
    await git(dir, 'revert', '--no-commit', ...commits);
  } catch {
    return 'conflict';
  }
  return git(dir, 'write-tree');
}

describe('revertCommits (isomorphic-git) against real git revert', () => {
  const tmp = useTempDir();
  let n = 0;
  const fresh = () => path.join(tmp, `r${n++}`);

  it("undoes the last commit exactly as git revert does, with git's message format", async () => {
    const repo = await initRepo(fresh());
    const good = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:1') },
      'Deploy web 1',
    );
    const bad = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2') },
      'Deploy web 2',
    );
    const result = await revertCommits({
      gitdir: path.join(repo, '.git'),
      head: bad,
      bad,
      author,
      reason: 'Berth rolled back: Deployment default/web is Degraded (ProgressDeadlineExceeded).',
      now: new Date('2026-11-23T10:00:00Z'),
    });
    expect(result.tree).toBe(await git(repo, 'rev-parse', `${good}^{tree}`));
    expect(result.tree).toBe(await gitRevertTree(repo, fresh(), [bad]));
    expect(result.message).toBe(
      `Revert "Deploy web 2"\n\nBerth rolled back: Deployment default/web is Degraded (ProgressDeadlineExceeded).\n\nThis reverts commit ${bad}.\n`,
    );
    // git reads the commit back as a normal commit on top of the bad one.
    expect(await git(repo, 'log', '-1', '--format=%P|%an <%ae>|%s', result.commit)).toBe(
      `${bad}|Berth <berth@localhost>|Revert "Deploy web 2"`,
    );
    await git(repo, 'fsck', '--no-dangling');
    expect(isRevertMessage(result.message)).toBe(true);
    expect(isRevertMessage('Deploy web 2\n')).toBe(false);
  });

  it('keeps a later unrelated commit, in another file and in the same file', async () => {
    const repo = await initRepo(fresh());
    await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:1'), 'api/cm.yaml': 'greeting: hi\n' },
      'Initial',
    );
    const bad = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2') },
      'Deploy web 2',
    );
    await commitFiles(
      repo,
      { 'api/cm.yaml': 'greeting: hello\n', 'api/new.yaml': 'kind: Service\n' },
      'Tune api',
    );
    const head = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2', 4) },
      'Scale web to 4',
    );
    const result = await revertCommits({ gitdir: path.join(repo, '.git'), head, bad, author });
    expect(result.tree).toBe(await gitRevertTree(repo, fresh(), [bad]));
    const show = (file: string) => git(repo, 'show', `${result.commit}:${file}`);
    expect(await show('web/deployment.yaml')).toContain('image: web:1');
    expect(await show('web/deployment.yaml')).toContain('replicas: 4');
    expect(await show('api/cm.yaml')).toBe('greeting: hello');
    expect(await show('api/new.yaml')).toBe('kind: Service');
  });

  it('undoes every commit since the last good one, as one commit naming each', async () => {
    const repo = await initRepo(fresh());
    const good = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:1'), 'web/old.yaml': 'kind: ConfigMap\n' },
      'Good',
    );
    const bad1 = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2'), 'web/old.yaml': null },
      'Deploy web 2',
    );
    const bad2 = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2', 5), 'web/extra.yaml': 'kind: Secret\n' },
      'Scale web to 5',
    );
    const head = await commitFiles(repo, { 'README.md': 'docs\n' }, 'Docs');
    const result = await revertCommits({
      gitdir: path.join(repo, '.git'),
      head,
      bad: bad2,
      good,
      author,
    });
    expect(result.reverted.map((c) => c.sha)).toEqual([bad2, bad1]);
    expect(result.tree).toBe(await gitRevertTree(repo, fresh(), [bad2, bad1]));
    expect(await git(repo, 'ls-tree', '-r', '--name-only', result.commit)).toBe(
      'README.md\nweb/deployment.yaml\nweb/old.yaml',
    );
    expect(result.message).toBe(
      `Revert "Scale web to 5" and 1 earlier commit\n\nThis reverts commit ${bad2}.\nThis reverts commit ${bad1}.\n`,
    );
  });

  it('refuses, writing nothing, when a later commit changed the same lines', async () => {
    const repo = await initRepo(fresh());
    await commitFiles(repo, { 'web/deployment.yaml': deployment('web:1') }, 'Good');
    const bad = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:2') },
      'Deploy web 2',
    );
    const head = await commitFiles(
      repo,
      { 'web/deployment.yaml': deployment('web:3') },
      'Deploy web 3',
    );
    const objectsBefore = await git(repo, 'count-objects', '-v');
    const attempt = revertCommits({ gitdir: path.join(repo, '.git'), head, bad, author });
    await expect(attempt).rejects.toBeInstanceOf(RevertConflictError);
    await expect(attempt).rejects.toMatchObject({
      code: 'RevertConflict',
      data: { paths: ['web/deployment.yaml'], reverted: [bad] },
    });
    expect(await gitRevertTree(repo, fresh(), [bad])).toBe('conflict');
    expect(await git(repo, 'rev-parse', 'main')).toBe(head);
    expect(await git(repo, 'count-objects', '-v')).toBe(objectsBefore);
  });

  it('refuses to revert past a commit that is not an ancestor', async () => {
    const repo = await initRepo(fresh());
    const a = await commitFiles(repo, { 'a.yaml': 'a\n' }, 'A');
    const b = await commitFiles(repo, { 'a.yaml': 'b\n' }, 'B');
    await expect(
      revertCommits({ gitdir: path.join(repo, '.git'), head: b, bad: a, good: b, author }),
    ).rejects.toMatchObject({
      code: 'RevertNotAncestor',
    });
  });
});
