import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useRegistry } from '../../harness/registry.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, writeConfig } from '../reconcile/reconcile-harness.js';

const run = promisify(execFile);

function pullSecret(host: string, user: string, password: string): string {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  const json = JSON.stringify({ auths: { [host]: { auth } } });
  return `apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: ${Buffer.from(json).toString('base64')}
`;
}

function deployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      terminationGracePeriodSeconds: 1
      imagePullSecrets: [{name: regcred}]
      containers:
        - name: app
          image: ${image}
`;
}

type Status = {
  containerStatuses?: Array<{
    state?: { waiting?: { reason?: string; message?: string }; running?: unknown };
    imageID?: string;
    containerID?: string;
  }>;
};

// `berth up` on a repository whose Deployment pulls from a private registry with a pull
// secret kept in Git: a wrong password backs off, the fix in Git recovers, `describe pod` shows
// the pull events, and `berth plan` says when the tag was pushed again.
describe('images from a private registry, credentials in Git', () => {
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
  let digest: string;

  beforeAll(async () => {
    const r = await registry.start();
    host = r.host;
    digest = await r.push('app', '1.0.0', 'from-git');
    repo = await initRepo(path.join(dir, 'repo'));
    config = writeConfig(dir, redis.prefix, repo);
    await commitFiles(
      repo,
      {
        'secret.yaml': pullSecret(host, r.user.name, 'wrong-password-123'),
        'app.yaml': deployment(`${host}/app:1.0.0`),
      },
      'app with a wrong registry password',
    );
    env = await berthEnv(dir, docker.id);
    berth = startCli(['up', '-c', config], { env, cwd: dir });
  }, 120_000);
  afterAll(async () => {
    await berth?.stop();
  });

  it('backs off with ImagePullBackOff while the pull secret is wrong, and never shows the password', async () => {
    await observe.until(
      'pods in ImagePullBackOff',
      async () => {
        const pods = await observe.pods('app');
        return (
          pods.length === 2 &&
          pods.every(
            (p) =>
              (p.pod.status as Status)?.containerStatuses?.[0]?.state?.waiting?.reason ===
              'ImagePullBackOff',
          )
        );
      },
      120_000,
    );
    // Nothing on Docker: a one-container pod has no sandbox, and its image never came.
    expect(await observe.dockerPods(false)).toHaveLength(0);
    const { stdout } = await run('docker', [
      'ps',
      '-q',
      '--filter',
      `label=io.berth.instance=${docker.id}`,
      '--filter',
      'label=io.berth.container=app',
    ]);
    expect(stdout.trim()).toBe('');
    const [first] = await observe.pods('app');
    const described = await runCli(['describe', 'pod', String(first?.name), '-c', config], {
      env,
      cwd: dir,
    });
    expect(described.stdout).toContain('Failed to pull image');
    expect(described.stdout).toMatch(/BackOff/);
    expect(described.stdout + berth.stderr()).not.toContain('wrong-password-123');
  }, 180_000);

  it('recovers when the Secret is fixed in Git: the pods run the image, its digest is the imageID', async () => {
    const r = registry.get();
    await commitFiles(
      repo,
      { 'secret.yaml': pullSecret(host, r.user.name, r.user.password) },
      'fix the registry password',
    );
    const pods = await observe.until(
      'pods running',
      async () => {
        const list = await observe.pods('app');
        return (
          list.length === 2 &&
          list.every((p) => (p.pod.status as Status)?.containerStatuses?.[0]?.state?.running) &&
          list
        );
      },
      120_000,
    );
    for (const p of pods) {
      const status = (p.pod.status as Status).containerStatuses?.[0];
      expect(status?.imageID).toBe(`docker-pullable://${host}/app@${digest}`);
      const { stdout } = await run('docker', [
        'logs',
        String(status?.containerID).replace('docker://', ''),
      ]);
      expect(stdout).toBe('from-git\n');
    }
    // One pull serves both pods (pulls of an image are shared): one pod's events say it was
    // pulled, the other's that it was present; events are written beside the start, so poll.
    await eventually(
      async () => {
        const texts = await Promise.all(
          pods.map(
            async (p) =>
              (await runCli(['describe', 'pod', p.name, '-c', config], { env, cwd: dir })).stdout,
          ),
        );
        return (
          texts.some((t) => /Pulled.*Successfully pulled image/.test(t)) &&
          texts.every((t) => /Normal +Pulled /.test(t))
        );
      },
      { what: 'a Pulled event on each pod, one of them a successful pull' },
    );
  }, 180_000);

  it('berth plan shows that the tag now names another digest than the one running', async () => {
    const moved = await registry.get().push('app', '1.0.0', 'pushed-again');
    const plan = await runCli(['plan', '-c', config], { env, cwd: dir });
    expect(plan.stdout).toContain(`${host}/app:1.0.0 now names ${moved.slice(0, 19)}`);
    expect(plan.stdout).toContain(`pods run ${digest.slice(0, 19)}`);
    const json = await runCli(['plan', '-c', config, '-o', 'json'], { env, cwd: dir });
    expect(JSON.parse(json.stdout).status.images).toEqual([
      expect.objectContaining({ image: `${host}/app:1.0.0`, resolved: moved, running: [digest] }),
    ]);
  }, 120_000);
});
