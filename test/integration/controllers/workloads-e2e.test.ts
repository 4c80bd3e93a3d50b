import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podReady } from '../../../src/controllers/index.js';
import { claimVolumeName } from '../../../src/node/index.js';
import { asKind, type StoredObject } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { statefulSetYaml } from '../../harness/workloads.js';
import { Observer, writeConfig } from '../reconcile/reconcile-harness.js';

// Starting containers on a loaded 2-core host (the full suite runs two files at a time) can take
// far longer than alone (about 6 s for the first test): generous limits, never asserted on.
const WAIT_MS = 150_000;
const TEST_TIMEOUT_MS = 180_000;

/** A StatefulSet of busybox httpd pods serving the hostnames their volume has seen. */
function statefulSet(replicas: number, version = 'v1'): string {
  return statefulSetYaml({
    replicas,
    script:
      'mkdir -p /www && hostname >> /data/seen && cp /data/seen /www/index.html && exec httpd -f -p 8080 -h /www',
    env: [{ name: 'VERSION', value: version }],
    container: { volumeMounts: [{ name: 'data', mountPath: '/data' }] },
    spec: {
      serviceName: 'web',
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Mi' } } },
        },
      ],
    },
  });
}

const DAEMON_SET = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - {name: main, image: berth.local/busybox:1, command: [sh, -c, 'exec sleep 3600']}
`;

const JOBS = `apiVersion: batch/v1
kind: Job
metadata: {name: hello}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: main, image: berth.local/busybox:1, command: [sh, -c, 'echo hello from a job']}
---
apiVersion: batch/v1
kind: Job
metadata: {name: broken}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
        - {name: main, image: berth.local/busybox:1, command: [sh, -c, 'exit 3']}
`;

// One `berth up` with real containers: a StatefulSet of 2 started in order with its volumes and
// rolled out, a DaemonSet, a Job that completes and one that fails past its backoffLimit (after
// Kubernetes' 10 s backoff).
describe('workloads end to end: StatefulSet, DaemonSet and Jobs in Docker', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let berth: RunningCli;
  let head: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    repo = await initRepo(path.join(dir, 'repo'));
    const config = writeConfig(dir, redis.prefix, repo);
    await commitFiles(
      repo,
      { 'web.yaml': statefulSet(2), 'jobs.yaml': JOBS, 'agent.yaml': DAEMON_SET },
      'workloads',
    );
    head = await git(repo, 'rev-parse', 'HEAD');
    env = await berthEnv(dir, docker.id);
    berth = startCli(['up', '-c', config], { env, cwd: dir });
  });
  afterAll(async () => {
    await berth?.stop();
    rmSync(path.join(dir, 'repo'), { recursive: true, force: true });
  });

  const pod = (name: string) => observe.store.get(`Pod/default/${name}`);
  const podIP = async (name: string) =>
    ((await pod(name))?.status as { podIP?: string } | undefined)?.podIP;

  it(
    'starts the StatefulSet in order: web-1 is created only once web-0 is ready',
    async () => {
      const sts = await eventually(
        async () => {
          const s = await observe.store.get('StatefulSet/default/web');
          return (s?.status as { readyReplicas?: number } | undefined)?.readyReplicas === 2 && s;
        },
        { what: 'StatefulSet web ready', timeout: WAIT_MS },
      );
      expect(sts.status).toMatchObject({ replicas: 2, readyReplicas: 2, updatedReplicas: 2 });
      const web0 = asKind('Pod', (await pod('web-0')) as StoredObject);
      const web1 = asKind('Pod', (await pod('web-1')) as StoredObject);
      expect(podReady(web0) && podReady(web1)).toBe(true);
      const ready0 = (
        web0.status as { conditions: Array<{ type: string; lastTransitionTime: string }> }
      ).conditions.find((c) => c.type === 'Ready')?.lastTransitionTime as string;
      expect(Date.parse(web1.metadata.creationTimestamp)).toBeGreaterThanOrEqual(
        Date.parse(ready0),
      );
      expect((await observe.dockerPods()).filter((n) => n.startsWith('web-'))).toEqual([
        'web-0',
        'web-1',
      ]);

      // Each pod has its stable hostname and its own claim's volume.
      for (const name of ['web-0', 'web-1']) {
        const ip = await podIP(name);
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe(`${name}\n`);
      }
      const volumes = (await docker.docker.listVolumes()).Volumes.map((v) => v.Name);
      expect(volumes).toEqual(
        expect.arrayContaining([
          claimVolumeName(docker.id, 'default', 'data-web-0'),
          claimVolumeName(docker.id, 'default', 'data-web-1'),
        ]),
      );
      expect(
        (await observe.store.get('PersistentVolumeClaim/default/data-web-0'))?.status,
      ).toMatchObject({ phase: 'Bound' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'runs one pod of a DaemonSet on the host',
    async () => {
      const ds = await eventually(
        async () => {
          const d = await observe.store.get('DaemonSet/default/agent');
          return (
            (d?.status as { numberAvailable?: number } | undefined)?.numberAvailable === 1 && d
          );
        },
        { what: 'DaemonSet agent available', timeout: WAIT_MS },
      );
      expect(ds.status).toMatchObject({
        desiredNumberScheduled: 1,
        currentNumberScheduled: 1,
        numberReady: 1,
        updatedNumberScheduled: 1,
      });
      const agents = (await observe.dockerPods()).filter((n) => n.startsWith('agent-'));
      expect(agents).toHaveLength(1);
      expect(agents[0]).toMatch(/^agent-[a-z0-9]{5}$/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'runs a Job to Complete and keeps its pod',
    async () => {
      const job = await eventually(
        async () => {
          const j = await observe.store.get('Job/default/hello');
          const conditions = (j?.status as { conditions?: Array<{ type: string }> } | undefined)
            ?.conditions;
          return conditions?.some((c) => c.type === 'Complete') && j;
        },
        { what: 'Job hello complete', timeout: WAIT_MS },
      );
      expect(job.status).toMatchObject({
        succeeded: 1,
        conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }],
        completionTime: expect.any(String),
      });
      const pods = (await observe.store.children('Job/default/hello')).filter(
        (o) => o.kind === 'Pod',
      );
      expect(pods).toHaveLength(1);
      expect((pods[0]?.status as { phase?: string } | undefined)?.phase).toBe('Succeeded');
      // The finished pod's output is still there for `berth logs`.
      const logs = await runCli(['logs', pods[0]?.metadata.name as string, '-n', 'default'], {
        env,
        cwd: dir,
      });
      expect(logs).toMatchObject({ code: 0, stdout: 'hello from a job\n' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails a Job past its backoffLimit: two failed pods, then BackoffLimitExceeded',
    async () => {
      const job = await eventually(
        async () => {
          const j = await observe.store.get('Job/default/broken');
          const conditions = (j?.status as { conditions?: Array<{ type: string }> } | undefined)
            ?.conditions;
          return conditions?.some((c) => c.type === 'Failed') && j;
        },
        { what: 'Job broken failed', timeout: WAIT_MS },
      );
      expect(job.status).toMatchObject({
        failed: 2,
        conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }],
      });
      const pods = (await observe.store.children('Job/default/broken')).filter(
        (o) => o.kind === 'Pod',
      );
      expect(pods.map((p) => (p.status as { phase: string }).phase)).toEqual(['Failed', 'Failed']);
      // The source reports the failed Job.
      await observe.settled(head, 'Degraded');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'rolls a new template out highest ordinal first; each pod keeps its volume',
    async () => {
      const before = (await observe.store.get('StatefulSet/default/web'))?.status as {
        currentRevision: string;
      };
      await commitFiles(repo, { 'web.yaml': statefulSet(2, 'v2') }, 'v2');
      const recreated: string[] = [];
      const seenUid = new Map<string, string>();
      for (const name of ['web-0', 'web-1'])
        seenUid.set(name, (await pod(name))?.metadata.uid as string);
      const sts = await eventually(
        async () => {
          for (const name of ['web-0', 'web-1']) {
            const p = await pod(name);
            if (p && p.metadata.uid !== seenUid.get(name) && !recreated.includes(name))
              recreated.push(name);
          }
          const s = await observe.store.get('StatefulSet/default/web');
          const st = s?.status as Record<string, unknown> | undefined;
          return (
            st?.updateRevision !== before.currentRevision &&
            st?.updatedReplicas === 2 &&
            st.readyReplicas === 2 &&
            st.currentRevision === st.updateRevision &&
            s
          );
        },
        { what: 'rollout of v2', timeout: WAIT_MS },
      );
      expect(recreated).toEqual(['web-1', 'web-0']);
      expect((sts.status as { currentRevision: string }).currentRevision).not.toBe(
        before.currentRevision,
      );
      // The new pod of each ordinal mounted the same claim: its volume has both boots.
      for (const name of ['web-0', 'web-1']) {
        const ip = await podIP(name);
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe(`${name}\n${name}\n`);
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'scales the StatefulSet down from the highest ordinal and keeps its claim and volume',
    async () => {
      const sha = await commitFiles(repo, { 'web.yaml': statefulSet(1, 'v2') }, 'scale to 1');
      await eventually(
        async () => {
          const s = await observe.states.get('shop');
          return (
            s?.applied === sha &&
            !(await observe.dockerPods()).includes('web-1') &&
            // It terminates first; the node deletes it from the store once its containers are gone.
            (await pod('web-1')) === undefined &&
            (await pod('web-0'))
          );
        },
        { what: 'web-1 gone from Docker and from the store', timeout: WAIT_MS },
      );
      expect(await pod('web-1')).toBeUndefined();
      expect(await observe.store.get('PersistentVolumeClaim/default/data-web-1')).toBeDefined();
      const volumes = (await docker.docker.listVolumes()).Volumes.map((v) => v.Name);
      expect(volumes).toContain(claimVolumeName(docker.id, 'default', 'data-web-1'));
    },
    TEST_TIMEOUT_MS,
  );
});
