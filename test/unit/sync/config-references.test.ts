import { describe, expect, it } from 'vitest';
import {
  CONFIG_HASH_ANNOTATION,
  type ConfigLookup,
  configReferences,
  withConfigHash,
} from '../../../src/sync/index.js';

const podSpec = {
  volumes: [
    { name: 'a', configMap: { name: 'page' } },
    { name: 'b', secret: { secretName: 'tls' } },
    {
      name: 'c',
      projected: { sources: [{ configMap: { name: 'extra' } }, { secret: { name: 'key' } }] },
    },
    { name: 'd', emptyDir: {} },
  ],
  initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'init-env' } }] }],
  containers: [
    {
      name: 'web',
      env: [
        { name: 'X', valueFrom: { configMapKeyRef: { name: 'page', key: 'x' } } },
        { name: 'Y', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'Z', value: 'plain' },
      ],
      envFrom: [{ secretRef: { name: 'env-secret' } }],
    },
  ],
};

const deployment = (spec = podSpec) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { metadata: { labels: { app: 'web' } }, spec } },
});

describe('config references', () => {
  it('lists every ConfigMap and Secret a pod spec uses, once each, sorted', () => {
    expect(configReferences(podSpec).map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ConfigMap/extra',
      'ConfigMap/init-env',
      'ConfigMap/page',
      'Secret/db',
      'Secret/env-secret',
      'Secret/key',
      'Secret/tls',
    ]);
  });

  it('puts a hash of their content on the pod template: a change of content changes it, nothing else does', () => {
    const data: Record<string, Record<string, string>> = { page: { x: '1' } };
    const lookup: ConfigLookup = (kind, _ns, name) =>
      kind === 'ConfigMap' && data[name] ? { data: data[name] } : undefined;
    const hashOf = (o: ReturnType<typeof deployment>) =>
      (o.spec.template.metadata as { annotations?: Record<string, string> }).annotations?.[
        CONFIG_HASH_ANNOTATION
      ];
    const original = deployment();
    const first = withConfigHash(original, 'default', lookup);
    expect(hashOf(first)).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf(original)).toBeUndefined(); // the input is not modified
    expect(hashOf(withConfigHash(deployment(), 'default', lookup))).toBe(hashOf(first));
    data.page = { x: '2' };
    expect(hashOf(withConfigHash(deployment(), 'default', lookup))).not.toBe(hashOf(first));
    // A workload that uses none, and a kind with no pod template, are left as they are.
    const plain = deployment({ containers: [{ name: 'web' }] } as never);
    expect(withConfigHash(plain, 'default', lookup)).toBe(plain);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(withConfigHash(cm, 'default', lookup)).toBe(cm);
  });

  it('finds the template of a CronJob under jobTemplate', () => {
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
    };
    const out = withConfigHash(cron, 'default', () => undefined);
    expect(
      (out.spec.jobTemplate.spec.template as { metadata?: { annotations?: object } }).metadata
        ?.annotations,
    ).toHaveProperty(CONFIG_HASH_ANNOTATION);
  });
});
