import { describe, expect, it } from 'vitest';
import { objectTree, type TreeNode } from '../../../src/api/object-tree.js';
import type { StoredObject } from '../../../src/store/index.js';

const meta = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  namespace: 'default',
  uid: `uid-${name}`,
  generation: 1,
  creationTimestamp: '2026-01-01T00:00:00Z',
  ...extra,
});
const fromGit = { annotations: { 'berth.dev/source': 'shop' } };
// Controllers copy the source annotation onto what they make (controllers/owned.ts).
const owner = (kind: string, name: string) => ({
  ...fromGit,
  ownerReferences: [{ apiVersion: 'v1', kind, name, uid: `uid-${name}`, controller: true }],
});
const obj = (apiVersion: string, kind: string, m: object, body: object = {}) =>
  ({ apiVersion, kind, metadata: m, ...body }) as StoredObject;

const OBJECTS: StoredObject[] = [
  obj('apps/v1', 'Deployment', meta('web', fromGit), {
    spec: { replicas: 1 },
    status: {
      replicas: 1,
      readyReplicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 1,
    },
  }),
  obj('apps/v1', 'ReplicaSet', meta('web-abc', owner('Deployment', 'web')), {
    spec: { replicas: 1 },
  }),
  obj('v1', 'Pod', meta('web-abc-x1', owner('ReplicaSet', 'web-abc')), {
    status: { phase: 'Running' },
  }),
  obj('v1', 'Service', meta('web', fromGit), { spec: { ports: [{ port: 80 }] } }),
  obj('v1', 'Endpoints', meta('web', owner('Service', 'web')), { subsets: [] }),
  obj('networking.k8s.io/v1', 'Ingress', meta('web', fromGit), {
    spec: {
      defaultBackend: { service: { name: 'web', port: { name: 'http' } } },
      rules: [{ http: { paths: [{ backend: { service: { name: 'gone' } } }] } }],
    },
  }),
  obj('apps/v1', 'StatefulSet', meta('db', fromGit), {
    spec: { replicas: 1, volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
  }),
  obj('v1', 'Pod', meta('db-0', owner('StatefulSet', 'db'))),
  obj('v1', 'PersistentVolumeClaim', meta('data-db-0')),
  obj('v1', 'PersistentVolumeClaim', meta('data-dbx-0')),
  obj('v1', 'ConfigMap', meta('other', { annotations: { 'berth.dev/source': 'blog' } })),
];

const shape = (n: TreeNode): unknown => [
  n.key,
  ...(n.children.length ? [n.children.map(shape)] : []),
];

describe('objectTree: a source’s objects and what their controllers made', () => {
  it('nests owners, claims, endpoints and ingress routes; leaves other sources out', () => {
    const tree = objectTree('shop', OBJECTS, new Date('2026-01-01T00:05:00Z'));
    expect(tree.map(shape)).toEqual([
      ['Deployment/default/web', [['ReplicaSet/default/web-abc', [['Pod/default/web-abc-x1']]]]],
      ['Ingress/default/web', [['Service/default/gone'], ['Service/default/web']]],
      ['Service/default/web', [['Endpoints/default/web']]],
      [
        'StatefulSet/default/db',
        [['PersistentVolumeClaim/default/data-db-0'], ['Pod/default/db-0']],
      ],
    ]);
    const ingress = tree[1] as TreeNode;
    expect(ingress.children.map((c) => [c.reference, c.health])).toEqual([
      [true, 'Missing'],
      [true, expect.any(String)],
    ]);
    expect(tree[0]?.status).toBe('READY 1/1 · UP-TO-DATE 1 · AVAILABLE 1 · AGE 5m');
    expect(tree[0]?.health).toBe('Healthy');
  });
});
