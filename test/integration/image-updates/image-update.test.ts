import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { consistently, eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useRegistry } from '../../harness/registry.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer } from '../reconcile/reconcile-harness.js';

const run = promisify(execFile);
const WAIT_MS = 180_000;

/** A Deployment whose pods are ready unless the image's /version says "broken". */
function web(image: string): string {
  return `# The web app: its tag is kept by image update automation.
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  progressDeadlineSeconds: 15
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: ${image}   # the app, pulled from the test registry
          readinessProbe:
            exec: {command: [sh, -c, "grep -qv broken /version"]}
            periodSeconds: 1
`;
}

// Image update automation against the real registry (Debian's docker-registry, htpasswd and
// TLS): a pushed tag is committed to the branch and rolled out; a broken one is committed,
// rolled back by Berth and then skipped; a newer one moves on.
describe('image update automation', () => {
  const registry = useRegistry();
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let config: string;
  let env: Record<string, string>;
  let berth: RunningCli;
  let host: string;

  /** The images of the running `web` containers of this instance, as Docker reports them. */
  async function runningImages(): Promise<string[]> {
    const { stdout } = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=io.berth.instance=${docker.id}`,
      '--filter',
      'label=io.berth.container=web',
    ]);
    const ids = stdout.split('\n').filter(Boolean);
    if (ids.length === 0) return [];
    const inspect = await run('docker', ['inspect', '--format', '{{.Config.Image}}', ...ids]);
    return inspect.stdout.split('\n').filter(Boolean).sort();
  }

  /** Waits for a commit on main whose subject matches, and returns its SHA. */
  async function commitOnMain(subject: RegExp | string): Promise<string> {
    return explained(
      eventually(
        async () => {
          const s = await git(repo, 'log', '-1', '--format=%s', 'main');
          const ok = typeof subject === 'string' ? s === subject : subject.test(s);
          return ok && git(repo, 'rev-parse', 'main');
        },
        { what: `a commit "${subject}" on main`, timeout: WAIT_MS },
      ),
    );
  }

  /** A wait that fails with what Berth said and the source's state, to tell why. */
  async function explained<T>(waiting: Promise<T>): Promise<T> {
    try {
      return await waiting;
    } catch (err) {
      const state = await observe.states.get('shop');
      throw new Error(
        `${(err as Error).message}\nstate: ${JSON.stringify(state)}\nberth: ${berth?.stderr().slice(-4000)}`,
      );
    }
  }

  beforeAll(async () => {
    const r = await registry.start();
    host = r.host;
    await r.push('web', '1.0.0');
    repo = await initRepo(path.join(dir, 'repo'));
    await commitFiles(repo, { 'web.yaml': web(`${host}/web:1.0.0`) }, 'web 1.0.0');
    // A file: Berth reads registry passwords at each pull (the environment would be the test's).
    writeFileSync(path.join(dir, 'registry-password'), r.user.password);
    config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1
kind: BerthConfig
redis: {keyPrefix: "${redis.prefix}"}
registries:
  - {host: "${host}", username: ${r.user.name}, password: {file: ${path.join(dir, 'registry-password')}}}
sources:
  - name: shop
    repo: ${repo}
    rollback: {enabled: true}
    imageUpdates:
      - image: ${host}/web
        policy: {semver: {range: ">=1.0.0"}}
        interval: 2s
        authorName: Image Robot
        authorEmail: images@example.com
`,
    );
    env = await berthEnv(dir, docker.id);
    berth = startCli(['up', '-c', config], { env, cwd: dir });
    await explained(observe.settled(await git(repo, 'rev-parse', 'HEAD'), 'Healthy', WAIT_MS));
  }, 300_000);
  afterAll(async () => {
    await berth?.stop();
  });

  it('commits a pushed tag to the branch (only the tag changes) and the pods run it', async () => {
    const before = await git(repo, 'rev-parse', 'main');
    await registry.get().push('web', '1.1.0');
    const commit = await commitOnMain(`Update image ${host}/web from 1.0.0 to 1.1.0`);
    expect(await git(repo, 'rev-parse', `${commit}^`)).toBe(before);
    expect(await git(repo, 'log', '-1', '--format=%an <%ae>', commit)).toBe(
      'Image Robot <images@example.com>',
    );
    const message = await git(repo, 'log', '-1', '--format=%B', commit);
    expect(message).toContain(
      `web.yaml:17 Deployment/web container web: ${host}/web:1.0.0 -> ${host}/web:1.1.0`,
    );
    expect(message).toContain('Berth-Image-Update: web 1.1.0');
    // Only the tag changed: comments, flow style and spacing are kept (git trims the output).
    expect(await git(repo, 'show', `${commit}:web.yaml`)).toBe(web(`${host}/web:1.1.0`).trimEnd());
    expect(await git(repo, 'diff', '--stat', before, commit)).toMatch(
      /1 file changed, 1 insertion/,
    );
    // The checked-out working tree followed the branch.
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    await explained(observe.settled(commit, 'Healthy', WAIT_MS));
    await eventually(async () => (await runningImages()).join() === `${host}/web:1.1.0`, {
      what: 'the web container running 1.1.0',
      timeout: WAIT_MS,
    });
  }, 400_000);

  it('a broken tag is committed, rolled back, and not committed again; a newer tag is', async () => {
    await registry.get().push('web', '1.2.0', 'broken-1.2.0');
    const bad = await commitOnMain(`Update image ${host}/web from 1.1.0 to 1.2.0`);
    const revert = await commitOnMain(`Revert "Update image ${host}/web from 1.1.0 to 1.2.0"`);
    expect(await git(repo, 'log', '-1', '--format=%B', revert)).toContain(
      `This reverts commit ${bad}.`,
    );
    await explained(observe.settled(revert, 'Healthy', WAIT_MS));
    // The scanner saw the revert: the tag is skipped, noted on the revert in the history.
    const history = new HistoryStore(redis.client, redis.prefix);
    await eventually(
      async () =>
        (await history.list('shop'))
          .find((h) => h.revision === revert)
          ?.notes?.[0]?.includes('image update skipped: web 1.2.0 was rolled back'),
      { what: 'the skip noted in the history', timeout: WAIT_MS },
    );
    // The rolled-back 1.2.0 pod terminates (its grace period), then several scans later (2 s
    // interval) the branch still ends with the revert and only 1.1.0 runs.
    await eventually(async () => (await runningImages()).join() === `${host}/web:1.1.0`, {
      what: 'the 1.2.0 pod gone, 1.1.0 running',
      timeout: WAIT_MS,
    });
    await consistently(
      async () => {
        expect(await git(repo, 'rev-parse', 'main')).toBe(revert);
        expect(await runningImages()).toEqual([`${host}/web:1.1.0`]);
      },
      { for: 8000, interval: 500, what: 'the branch to end with the revert, 1.1.0 running' },
    );
    const printed = await runCli(['history', 'shop', '-c', config], { env, cwd: dir });
    expect(printed.stdout).toContain('note: image update skipped: web 1.2.0 was rolled back');

    await registry.get().push('web', '1.2.1');
    const next = await commitOnMain(`Update image ${host}/web from 1.1.0 to 1.2.1`);
    await explained(observe.settled(next, 'Healthy', WAIT_MS));
    await eventually(async () => (await runningImages()).join() === `${host}/web:1.2.1`, {
      what: 'the web container running 1.2.1',
      timeout: WAIT_MS,
    });
    const { stdout: logs } = await run('docker', [
      'logs',
      (
        await run('docker', [
          'ps',
          '-q',
          '--filter',
          `label=io.berth.instance=${docker.id}`,
          '--filter',
          'label=io.berth.container=web',
        ])
      ).stdout.trim(),
    ]);
    expect(logs).toContain('1.2.1');
  }, 600_000);

  it('never commits over uncommitted work in the working tree', async () => {
    const head = await git(repo, 'rev-parse', 'main');
    writeFileSync(path.join(repo, 'web.yaml'), `${web(`${host}/web:1.2.1`)}# local edit\n`);
    await registry.get().push('web', '1.3.0');
    await eventually(async () => /RollbackDirtyWorktree|uncommitted changes/.test(berth.stderr()), {
      what: 'the scan refused for the dirty tree',
      timeout: WAIT_MS,
    });
    expect(await git(repo, 'rev-parse', 'main')).toBe(head);
    await git(repo, 'checkout', '--', 'web.yaml');
    await commitOnMain(`Update image ${host}/web from 1.2.1 to 1.3.0`);
  }, 400_000);
});
