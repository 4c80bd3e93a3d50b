import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ObjectInput, RedisEventStore, RedisObjectStore } from '../../../src/store/index.js';
import { runCli } from '../../harness/cli.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const PASSWORD = 'hunter2-very-secret';
const PASSWORD_B64 = Buffer.from(PASSWORD).toString('base64');

const labels = { app: 'web' };
const template = {
  metadata: { labels },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'berth.local/example-web:1',
        ports: [{ containerPort: 8080 }],
        env: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        ],
      },
    ],
  },
};
const owner = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true },
];
const container = (state: unknown, ready: boolean, restartCount: number, lastState = {}) => ({
  name: 'web',
  state,
  lastState,
  ready,
  restartCount,
  image: 'berth.local/example-web:1',
  imageID: 'sha256:1',
  containerID: 'docker://abc',
});

describe('berth get and berth describe (real Redis)', () => {
  const dir = useTempDir();
  const redis = useRedis();
  const env = { BERTH_REDIS_URL: REDIS_URL };
  const config = path.join(dir, 'berth.yaml');
  const berth = (...args: string[]) => runCli([...args, '-c', config], { env, cwd: dir });

  beforeAll(async () => {
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const store = new RedisObjectStore(redis.client, redis.prefix);
    const put = async (o: ObjectInput, status?: unknown) => {
      const { object } = await store.apply(o);
      if (status !== undefined)
        await store.putStatus(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, status);
      return object;
    };
    await put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await put(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', labels },
        spec: { replicas: 2, selector: { matchLabels: labels }, template },
      },
      {
        observedGeneration: 1,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 1,
        availableReplicas: 1,
        unavailableReplicas: 1,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
          { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
        ],
      },
    );
    await put(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-6d4f8',
          namespace: 'shop',
          labels: { ...labels, 'pod-template-hash': '6d4f8' },
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: owner('Deployment', 'web'),
        },
        spec: { replicas: 2, selector: { matchLabels: labels }, template },
      },
      { replicas: 2, readyReplicas: 1, availableReplicas: 1 },
    );
    const podMeta = (name: string) => ({
      name,
      namespace: 'shop',
      labels: { ...labels, 'pod-template-hash': '6d4f8' },
      ownerReferences: owner('ReplicaSet', 'web-6d4f8'),
    });
    await put(
      { apiVersion: 'v1', kind: 'Pod', metadata: podMeta('web-6d4f8-aaaaa'), spec: template.spec },
      {
        phase: 'Running',
        podIP: '10.244.0.5',
        podIPs: [{ ip: '10.244.0.5' }],
        hostIP: '172.17.0.1',
        conditions: [{ type: 'Ready', status: 'True' }],
        initContainerStatuses: [],
        containerStatuses: [
          container({ running: { startedAt: new Date().toISOString() } }, true, 0),
        ],
      },
    );
    await put(
      { apiVersion: 'v1', kind: 'Pod', metadata: podMeta('web-6d4f8-bbbbb'), spec: template.spec },
      {
        phase: 'Running',
        hostIP: '172.17.0.1',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        initContainerStatuses: [],
        containerStatuses: [
          container(
            { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } },
            false,
            3,
            {
              terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date().toISOString() },
            },
          ),
        ],
      },
    );
    // As the Service controller writes it: the allocated ClusterIP and NodePort in status.
    await put(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          type: 'NodePort',
          selector: labels,
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
        },
      },
      {
        observedGeneration: 1,
        clusterIP: '10.96.0.10',
        clusterIPs: ['10.96.0.10'],
        ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 }],
        loadBalancer: {},
        conditions: [],
      },
    );
    await put({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [
        {
          addresses: [{ ip: '10.244.0.5' }],
          notReadyAddresses: [{ ip: '10.244.0.6' }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    });
    await put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop' },
      type: 'Opaque',
      data: { password: PASSWORD_B64 },
      stringData: { user: PASSWORD },
    });
    await put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { greeting: 'hello' },
    });
    await new RedisEventStore(redis.client, redis.prefix).record({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      object: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      message: 'Scaled up replica set web-6d4f8 to 2',
      source: 'shop',
    });
  });

  it('lists deployments, replica sets and pods with kubectl columns', async () => {
    const deploy = await berth('get', 'deploy', '-n', 'shop');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(
      /^NAME {3}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE\nweb {4}1\/2 {5}2 {12}1 {11}\d+s\n$/,
    );
    const rs = await berth('get', 'replicasets', '-n', 'shop');
    expect(rs.stdout).toMatch(
      /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-6d4f8\s+2\s+2\s+1\s+\d+s\n$/,
    );
    const pods = await berth('get', 'po', '-n', 'shop', '-o', 'wide');
    const lines = pods.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    expect(lines[1]).toMatch(
      /^web-6d4f8-aaaaa\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.0\.5\s+172\.17\.0\.1\s+<none>\s+<none>$/,
    );
    expect(lines[2]).toMatch(
      /^web-6d4f8-bbbbb\s+0\/1\s+CrashLoopBackOff\s+3 \(\d+s ago\)\s+\d+s\s+<none>\s+/,
    );
    const svc = await berth('get', 'svc', '-n', 'shop');
    expect(svc.stdout).toMatch(
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nweb\s+NodePort\s+10\.96\.0\.10\s+<none>\s+80:30080\/TCP\s+\d+s\n$/,
    );
    expect((await berth('get', 'ep', '-n', 'shop')).stdout).toMatch(
      /^web\s+10\.244\.0\.5:8080\s+\d+s$/m,
    );
    const described = (await berth('describe', 'svc', 'web', '-n', 'shop')).stdout;
    expect(described).toMatch(/^IP:\s+10\.96\.0\.10$/m);
    expect(described).toMatch(
      /^Port:\s+http\s+80\/TCP\nTargetPort:\s+8080\/TCP\nNodePort:\s+http\s+30080\/TCP\nEndpoints:\s+10\.244\.0\.5:8080$/m,
    );
  });

  it('adds a NAMESPACE column with -A, filters by -l, and says when nothing is found', async () => {
    const all = await berth('get', 'deployments,configmaps', '-A');
    expect(all.stdout).toMatch(/^NAMESPACE\s+NAME\s+READY/);
    expect(all.stdout).toMatch(/^shop\s+deployment\.apps\/web\s+1\/2/m);
    expect(all.stdout).toMatch(/^default\s+configmap\/settings\s+1\s+\d+s$/m);
    const selected = await berth(
      'get',
      'pods',
      '-n',
      'shop',
      '-l',
      'app=web,pod-template-hash in (6d4f8)',
    );
    expect(selected.stdout.trimEnd().split('\n')).toHaveLength(3);
    const none = await berth('get', 'pods', '-n', 'shop', '-l', 'app!=web');
    expect(none).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No resources found in shop namespace.\n',
    });
    const empty = await berth('get', 'deploy');
    expect(empty.stderr).toBe('No resources found in default namespace.\n');
    expect((await berth('get', 'ns', '-o', 'name')).stdout).toBe('namespace/shop\n');
  });

  it('exits 1 with a NotFound error for a missing name, 2 for an unknown kind', async () => {
    expect(await berth('get', 'deploy', 'api', '-n', 'shop')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): deployments.apps "api" not found\n',
    });
    const unknown = await berth('get', 'widgets');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('doesn\'t have a resource type "widgets"');
  });

  it('prints objects as JSON or YAML, a List for several, and never a Secret value', async () => {
    const one = JSON.parse(
      (await berth('get', 'deploy', 'web', '-n', 'shop', '-o', 'json')).stdout,
    );
    expect(one).toMatchObject({
      kind: 'Deployment',
      metadata: { name: 'web' },
      status: { replicas: 2 },
    });
    const list = JSON.parse((await berth('get', 'pods', '-n', 'shop', '-o', 'json')).stdout);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(list.items).toHaveLength(2);
    for (const args of [
      ['get', 'secrets', '-n', 'shop', '-o', 'json'],
      ['get', 'secret', 'db', '-n', 'shop', '-o', 'yaml'],
      ['get', 'secrets', '-A', '-o', 'wide'],
      ['get', 'secrets', '-n', 'shop', '-o', 'name'],
      ['describe', 'secret', 'db', '-n', 'shop'],
    ]) {
      const run = await berth(...args);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD_B64);
    }
    const yaml = (await berth('get', 'secret', 'db', '-n', 'shop', '-o', 'yaml')).stdout;
    expect(yaml).toContain('password: <redacted>');
    expect(yaml).toContain('user: <redacted>');
  });

  it('describes a deployment as kubectl: replicas line, template, conditions, replica sets, events', async () => {
    const run = await berth('describe', 'deploy', 'web', '-n', 'shop');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/^Name: {19}web$/m);
    expect(out).toMatch(/^Namespace: {14}shop$/m);
    expect(out).toMatch(/^Selector:\s+app=web$/m);
    expect(out).toMatch(
      /^Replicas:\s+2 desired \| 2 updated \| 2 total \| 1 available \| 1 unavailable$/m,
    );
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(out).toMatch(/^RollingUpdateStrategy: {2}25% max unavailable, 25% max surge$/m);
    expect(out).toContain('Pod Template:\n  Labels:  app=web\n  Containers:\n   web:\n');
    expect(out).toMatch(/^ {4}Image:\s+berth\.local\/example-web:1$/m);
    expect(out).toMatch(
      /^ {6}DB_PASSWORD:\s+<set to the key 'password' in secret 'db'>\s+Optional: false$/m,
    );
    expect(out).toMatch(
      /^ {2}Type\s+Status\s+Reason\n {2}----\s+------\s+------\n {2}Available\s+False\s+MinimumReplicasUnavailable$/m,
    );
    expect(out).toMatch(/^OldReplicaSets:\s+<none>$/m);
    expect(out).toMatch(/^NewReplicaSet:\s+web-6d4f8 \(2\/2 replicas created\)$/m);
    expect(out).toMatch(
      /^Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message\n {2}----\s+------\s+----\s+----\s+-------\n {2}Normal\s+ScalingReplicaSet\s+\d+s\s+deployment-controller\s+Scaled up replica set web-6d4f8 to 2\n$/m,
    );
  });

  it('describes a pod with container state, restarts and conditions, and a secret by sizes', async () => {
    const pod = (await berth('describe', 'pod', 'web-6d4f8-bbbbb', '-n', 'shop')).stdout;
    expect(pod).toMatch(/^Status:\s+Running$/m);
    expect(pod).toMatch(/^Controlled By:\s+ReplicaSet\/web-6d4f8$/m);
    expect(pod).toMatch(/^ {4}State:\s+Waiting\n {6}Reason:\s+CrashLoopBackOff$/m);
    expect(pod).toMatch(
      /^ {4}Last State:\s+Terminated\n {6}Reason:\s+Error\n(.*\n)? {6}Exit Code:\s+1$/m,
    );
    expect(pod).toMatch(/^ {4}Ready:\s+False\n {4}Restart Count:\s+3$/m);
    expect(pod).toMatch(/^ {2}Ready\s+False$/m);
    expect(pod).toMatch(/^Events:\s+<none>\n$/m);
    const secret = (await berth('describe', 'secret', 'db', '-n', 'shop')).stdout;
    expect(secret).toMatch(/^Type:\s+Opaque$/m);
    expect(secret).toContain(
      `Data\n====\npassword:  ${PASSWORD.length} bytes\nuser:      ${PASSWORD.length} bytes\n`,
    );
    expect(await berth('describe', 'svc', 'api', '-n', 'shop')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): services "api" not found\n',
    });
  });
});
