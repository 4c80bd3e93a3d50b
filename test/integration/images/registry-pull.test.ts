import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseImageReference,
  RegistryClient,
  RegistryError,
  RegistryTransport,
} from '../../../src/images/index.js';
import type { PodEvent } from '../../../src/node/node-options.js';
import type { Pod, Secret } from '../../../src/node/pod-spec.js';
import { useRegistry } from '../../harness/registry.js';
import { useTempDir } from '../../harness/tmp.js';
import { containerOf, useNode, waitForStatus } from '../node/node-harness.js';

const run = promisify(execFile);

// Pulls from a real distribution registry (Debian's docker-registry) with htpasswd auth and TLS
// from a test CA that dockerd trusts through /etc/docker/certs.d/127.0.0.1:<port>/ca.crt.
const registry = useRegistry();
const events: Array<PodEvent & { pod: string }> = [];
const node = useNode({
  backoffInitialMs: 2_000,
  backoffMaxMs: 8_000,
  recordEvent: (pod, e) => events.push({ ...e, pod: pod.metadata.name }),
  hostCredentials: async () => [],
});
useTempDir();

function pullSecret(name: string, host: string, user: string, password: string): Secret {
  const auth = Buffer.from(`${user}:${password}`).toString('base64');
  const json = JSON.stringify({ auths: { [host]: { auth } } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'images' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(json).toString('base64') },
  };
}

function pod(
  name: string,
  image: string,
  extra: Partial<Pod['spec']> = {},
  policy?: 'Always',
): Pod {
  return {
    metadata: { name, namespace: 'images', uid: `${node.id}-${name}` },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image, ...(policy ? { imagePullPolicy: policy } : {}) }],
      ...extra,
    },
  };
}

/** What the container printed (docker logs), read on the host. */
async function output(containerID: string | undefined): Promise<string> {
  const { stdout } = await run('docker', ['logs', String(containerID).replace('docker://', '')]);
  return stdout;
}

const eventsOf = (name: string) => events.filter((e) => e.pod === name);

describe('pulling from a private registry', () => {
  let host: string;
  let digest1: string;

  beforeAll(async () => {
    const r = await registry.start();
    host = r.host;
    digest1 = await r.push('app', '1.0.0', 'v1.0.0');
  }, 120_000);

  it('resolves tags and lists them with Berth’s own client: TLS verified with certs.d, credentials required', async () => {
    const r = registry.get();
    const image = parseImageReference(`${host}/app:1.0.0`);
    if (!image) throw new Error('bad reference');
    // Not treated as insecure: the TLS certificate is checked against certs.d/<host>/ca.crt.
    const verified = new RegistryClient(
      new RegistryTransport({ dockerRegistryConfig: { InsecureRegistryCIDRs: [] } }),
      1,
    );
    const credential = {
      username: r.user.name,
      password: r.user.password,
      serveraddress: host,
      origin: 'test',
    };
    expect(await verified.resolveDigest(image, credential)).toBe(digest1);
    await expect(verified.resolveDigest(image)).rejects.toMatchObject({
      code: 'RegistryUnauthorized',
    });
    const wrong = { ...credential, password: 'wrong-password' };
    const refused = await verified.resolveDigest(image, wrong).catch((e: RegistryError) => e);
    expect(refused).toBeInstanceOf(RegistryError);
    expect(String((refused as RegistryError).message)).not.toContain('wrong-password');
    // Without the CA (another certs.d), the same registry is not trusted.
    const untrusted = new RegistryClient(
      new RegistryTransport({
        dockerRegistryConfig: { InsecureRegistryCIDRs: [] },
        certsDir: useTempDir(),
      }),
    );
    await expect(untrusted.resolveDigest(image, credential)).rejects.toMatchObject({
      code: 'RegistryUnreachable',
    });
    // Tags, one per page: Link pagination followed to the end.
    await r.push('app', '1.1.0');
    await r.push('app', '0.9.0');
    expect((await verified.listTags(image, credential)).sort()).toEqual([
      '0.9.0',
      '1.0.0',
      '1.1.0',
    ]);
  }, 120_000);

  it('is refused anonymously: ErrImagePull with the registry’s error, then ImagePullBackOff; no container', async () => {
    const agent = node.newAgent();
    const p = pod('anonymous', `${host}/app:1.0.0`);
    await agent.syncPod(p);
    const failed = await waitForStatus(agent, p, (s) =>
      ['ErrImagePull', 'ImagePullBackOff'].includes(
        containerOf(s, 'app').state.waiting?.reason ?? '',
      ),
    );
    // Docker's own error (for a 127.0.0.0/8 registry it tries HTTPS, then falls back to HTTP).
    const message = containerOf(failed, 'app').state.waiting?.message ?? '';
    expect(message).toMatch(
      new RegExp(
        `^(Back-off pulling image "${host}/app:1.0.0": )?Failed to pull image "${host}/app:1.0.0": .+`,
      ),
    );
    expect(eventsOf('anonymous').find((e) => e.reason === 'Failed')?.message).toMatch(
      /^Failed to pull image/,
    );
    await waitForStatus(
      agent,
      p,
      (s) => containerOf(s, 'app').state.waiting?.reason === 'ImagePullBackOff',
    );
    expect(eventsOf('anonymous').map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Pulling', 'Failed', 'BackOff']),
    );
    const { stdout } = await run('docker', [
      'ps',
      '-a',
      '--filter',
      `label=io.berth.instance=${node.id}`,
      '--filter',
      'label=io.berth.pod=anonymous',
      '--filter',
      'label=io.berth.container=app',
      '-q',
    ]);
    expect(stdout.trim()).toBe('');
    const { stdout: images } = await run('docker', ['images', '-q', `${host}/app:1.0.0`]);
    expect(images.trim()).toBe('');
    await agent.killPod(p);
  }, 90_000);

  it('pulls with a pull secret; a wrong password backs off and a fixed Secret recovers at once; the digest that runs is the imageID', async () => {
    const r = registry.get();
    const agent = node.newAgent();
    node.objects.secrets.set(
      'images/regcred',
      pullSecret('regcred', host, r.user.name, 'not-the-password'),
    );
    const p = pod('secret', `${host}/app:1.0.0`, { imagePullSecrets: [{ name: 'regcred' }] });
    await agent.syncPod(p);
    const backoff = await waitForStatus(
      agent,
      p,
      (s) => containerOf(s, 'app').state.waiting?.reason === 'ImagePullBackOff',
    );
    const all = JSON.stringify([backoff, eventsOf('secret')]);
    expect(all).not.toContain('not-the-password');
    expect(eventsOf('secret').find((e) => e.reason === 'Failed')?.message).toContain(
      'Secret images/regcred',
    );
    // The Secret is fixed: the next sync pulls without waiting out the backoff.
    node.objects.secrets.set(
      'images/regcred',
      pullSecret('regcred', host, r.user.name, r.user.password),
    );
    const running = await waitForStatus(agent, p, (s) =>
      Boolean(containerOf(s, 'app').state.running),
    );
    const status = containerOf(running, 'app');
    expect(status.imageID).toBe(`docker-pullable://${host}/app@${digest1}`);
    expect(await output(status.containerID)).toBe('v1.0.0\n');
    const { stdout } = await run('docker', [
      'image',
      'inspect',
      '-f',
      '{{json .RepoDigests}}',
      `${host}/app:1.0.0`,
    ]);
    expect(JSON.parse(stdout)).toContain(`${host}/app@${digest1}`);
    const pulled = eventsOf('secret').find((e) => e.reason === 'Pulled');
    expect(pulled?.message).toMatch(
      /^Successfully pulled image ".*app:1\.0\.0" in [0-9.]+s\. Image size: \d+ bytes\.$/,
    );
    await agent.killPod(p);
  }, 120_000);

  it('pulls an image once for several pods that need it at the same time', async () => {
    const r = registry.get();
    await r.push('shared', '2.0.0');
    node.objects.secrets.set(
      'images/regcred',
      pullSecret('regcred', host, r.user.name, r.user.password),
    );
    const agent = node.newAgent();
    const pods = ['one', 'two', 'three'].map((n) =>
      pod(`shared-${n}`, `${host}/shared:2.0.0`, { imagePullSecrets: [{ name: 'regcred' }] }),
    );
    const before = manifestGets(r.log(), 'shared');
    await Promise.all(pods.map((p) => agent.syncPod(p)));
    for (const p of pods)
      await waitForStatus(agent, p, (s) => Boolean(containerOf(s, 'app').state.running));
    // The registry saw one pull of the manifest, not three.
    expect(manifestGets(r.log(), 'shared') - before).toBe(1);
    for (const p of pods) await agent.killPod(p);
  }, 120_000);

  it('Always pulls again at a container start and runs the re-pushed tag: the imageID changes', async () => {
    const r = registry.get();
    const first = await r.push('moving', 'stable', 'first');
    node.objects.secrets.set(
      'images/regcred',
      pullSecret('regcred', host, r.user.name, r.user.password),
    );
    const agent = node.newAgent();
    const p = pod(
      'moving',
      `${host}/moving:stable`,
      { imagePullSecrets: [{ name: 'regcred' }] },
      'Always',
    );
    await agent.syncPod(p);
    const one = containerOf(
      await waitForStatus(agent, p, (s) => Boolean(containerOf(s, 'app').state.running)),
      'app',
    );
    expect(one.imageID).toBe(`docker-pullable://${host}/moving@${first}`);
    expect(await output(one.containerID)).toBe('first\n');
    const second = await r.push('moving', 'stable', 'second');
    expect(second).not.toBe(first);
    await run('docker', ['kill', String(one.containerID).replace('docker://', '')]);
    const two = containerOf(
      await waitForStatus(
        agent,
        p,
        (s) =>
          Boolean(containerOf(s, 'app').state.running) && containerOf(s, 'app').restartCount === 1,
        60_000,
      ),
      'app',
    );
    expect(two.imageID).toBe(`docker-pullable://${host}/moving@${second}`);
    expect(await output(two.containerID)).toBe('second\n');
    await agent.killPod(p);
  }, 120_000);

  it('pulls with berth.yaml-style host credentials when the pod has no pull secret', async () => {
    const r = registry.get();
    await r.push('hosted', '3.0.0');
    const agent = node.newAgent({
      hostCredentials: async () => [
        {
          origin: 'berth.yaml registries',
          auths: [{ key: host, username: r.user.name, password: r.user.password }],
        },
      ],
    });
    const p = pod('hosted', `${host}/hosted:3.0.0`);
    await agent.syncPod(p);
    const s = await waitForStatus(agent, p, (st) => Boolean(containerOf(st, 'app').state.running));
    expect(await output(containerOf(s, 'app').containerID)).toBe('3.0.0\n');
    await agent.killPod(p);
  }, 120_000);

  it('Never: a missing image waits with ErrImageNeverPull and is never pulled', async () => {
    const agent = node.newAgent();
    const p: Pod = {
      ...pod('never', `${host}/app:0.9.0`),
    };
    p.spec.containers[0] = { name: 'app', image: `${host}/app:0.9.0`, imagePullPolicy: 'Never' };
    await agent.syncPod(p);
    const s = await waitForStatus(
      agent,
      p,
      (st) => containerOf(st, 'app').state.waiting?.reason === 'ErrImageNeverPull',
    );
    expect(containerOf(s, 'app').state.waiting?.message).toContain(
      'is not present with pull policy of Never',
    );
    expect(eventsOf('never').map((e) => e.reason)).not.toContain('Pulling');
    await agent.killPod(p);
  });
});

/** How many times the registry answered a GET of one of the repository's manifests. */
function manifestGets(log: string, repo: string): number {
  return log
    .split('\n')
    .filter((l) => new RegExp(`"GET /v2/${repo}/manifests/[^ ]+ HTTP/1\\.1" 200`).test(l)).length;
}
