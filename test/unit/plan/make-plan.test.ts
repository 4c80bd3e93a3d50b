import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { makePlan, type PlanObject } from '../../../src/plan/index.js';

const NAMESPACED = new Set([
  'Deployment',
  'Service',
  'ConfigMap',
  'Secret',
  'Ingress',
  'PersistentVolumeClaim',
]);

function load(name: string): PlanObject[] {
  const text = readFileSync(new URL(`fixtures/${name}.yaml`, import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => toPlanObject(d.toJS()));
}

function toPlanObject(value: Record<string, unknown>): PlanObject {
  const meta = value.metadata as { name: string; namespace?: string };
  const kind = value.kind as string;
  return {
    apiVersion: value.apiVersion as string,
    kind,
    namespace: NAMESPACED.has(kind) ? (meta.namespace ?? 'default') : '',
    name: meta.name,
    value,
  };
}

/** `desired` with one object changed by `edit`. */
function edited(
  objects: PlanObject[],
  kind: string,
  // biome-ignore lint/suspicious/noExplicitAny: fixtures are edited as free-form YAML data
  edit: (v: Record<string, any>) => void,
): PlanObject[] {
  return objects.map((o) => {
    if (o.kind !== kind) return o;
    const value = structuredClone(o.value);
    edit(value);
    return { ...o, value };
  });
}

describe('makePlan', () => {
  const v1 = load('app-v1');
  const live = load('app-v1-live');

  it('creates everything in kind order from empty: namespaces, configuration, storage, workloads, routing', () => {
    const plan = makePlan({ desired: v1, live: [] });
    expect(plan.actions.map((a) => `${a.type} ${a.key}`)).toEqual([
      'create Namespace//shop',
      'create ConfigMap/shop/web-content',
      'create Secret/shop/db',
      'create PersistentVolumeClaim/shop/data',
      'create Deployment/shop/web',
      'create Service/shop/web',
      'create Ingress/shop/web',
    ]);
    expect(plan.summary).toEqual({ create: 7, update: 0, delete: 0, keep: 0, unchanged: 0 });
    expect(plan.hasChanges).toBe(true);
  });

  it('finds nothing to do when only status, server metadata and list order differ', () => {
    const plan = makePlan({ desired: v1, live });
    expect(plan.summary.unchanged).toBe(7);
    expect(plan.hasChanges).toBe(false);
  });

  it('names the changed field of a container by the container name', () => {
    const desired = edited(v1, 'Deployment', (d) => {
      d.spec.template.spec.containers[0].image = 'berth.local/example-web:2';
      d.spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: '1' });
    });
    const [update] = makePlan({ desired, live }).actions.filter((a) => a.type === 'update');
    expect(update?.key).toBe('Deployment/shop/web');
    expect(update?.changes).toEqual([
      {
        path: 'spec.template.spec.containers[web].env[DEBUG]',
        after: { name: 'DEBUG', value: '1' },
      },
      {
        path: 'spec.template.spec.containers[web].image',
        before: 'berth.local/example-web:1',
        after: 'berth.local/example-web:2',
      },
    ]);
  });

  it('never shows a Secret value: changes and objects say only that it changed', () => {
    const desired = edited(v1, 'Secret', (s) => {
      s.stringData.password = 'hunter2-v2';
    });
    const plan = makePlan({ desired, live });
    const update = plan.actions.find((a) => a.kind === 'Secret');
    expect(update).toMatchObject({
      type: 'update',
      changes: [{ path: 'stringData.password', before: '(secret)', after: '(secret: changed)' }],
    });
    expect(update?.after).toMatchObject({
      stringData: { password: '(secret: changed)', user: '(secret)' },
    });
    const created = makePlan({ desired, live: [] });
    for (const text of [JSON.stringify(plan), JSON.stringify(created)]) {
      expect(text).not.toContain('hunter2');
    }
  });

  it('deletes what left Git after the applies, in reverse kind order', () => {
    const desired = v1.filter((o) => o.kind === 'Namespace' || o.kind === 'ConfigMap');
    const plan = makePlan({ desired, live });
    expect(plan.actions.filter((a) => a.type === 'delete').map((a) => a.key)).toEqual([
      'Ingress/shop/web',
      'Service/shop/web',
      'Deployment/shop/web',
      'PersistentVolumeClaim/shop/data',
      'Secret/shop/db',
    ]);
    expect(plan.actions.slice(0, 2).map((a) => a.type)).toEqual(['unchanged', 'unchanged']);
  });

  it('keeps removed objects when prune is off or the object opted out', () => {
    const optedOut = edited(live, 'PersistentVolumeClaim', (p) => {
      p.metadata.annotations = { 'berth.dev/prune': 'false' };
    });
    const desired = v1.filter((o) => o.kind !== 'PersistentVolumeClaim' && o.kind !== 'Service');
    const plan = makePlan({ desired, live: optedOut });
    expect(
      plan.actions.filter((a) => a.type !== 'unchanged').map((a) => [a.type, a.key, a.reason]),
    ).toEqual([
      ['delete', 'Service/shop/web', undefined],
      ['keep', 'PersistentVolumeClaim/shop/data', 'annotated berth.dev/prune: "false"'],
    ]);
    const noPrune = makePlan({ desired, live, prune: false });
    expect(noPrune.summary).toMatchObject({ delete: 0, keep: 2 });
    expect(noPrune.hasChanges).toBe(false);
  });

  it('pairs objects across versions of one API group, not across groups', () => {
    const moved = v1.map((o) =>
      o.kind === 'Deployment'
        ? { ...o, apiVersion: 'apps/v2', value: { ...o.value, apiVersion: 'apps/v2' } }
        : o,
    );
    const plan = makePlan({ desired: moved, live });
    expect(plan.actions.find((a) => a.kind === 'Deployment')).toMatchObject({
      type: 'update',
      changes: [{ path: 'apiVersion', before: 'apps/v1', after: 'apps/v2' }],
    });
    const otherGroup = v1.map((o) =>
      o.kind === 'Deployment' ? { ...o, apiVersion: 'example.com/v1' } : o,
    );
    expect(makePlan({ desired: otherGroup, live }).summary).toMatchObject({ create: 1, delete: 1 });
  });
});
