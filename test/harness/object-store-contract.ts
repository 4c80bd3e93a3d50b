import { describe, expect, it } from 'vitest';
import { asKind, type ObjectStore, ofKind, REVISION_ANNOTATION } from '../../src/store/index.js';

/**
 * The behaviour every ObjectStore implementation shares, as one describe block: run against
 * the Redis store (integration) and the in-memory one (unit), so the unit tests' store is
 * held to what Berth runs on.
 */
export function objectStoreContract(name: string, makeStore: () => ObjectStore): void {
  describe(name, () => {
    const store = makeStore();
    const cm = (v: string, revision = 'a') => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'page',
        namespace: 'default',
        annotations: { [REVISION_ANNOTATION]: revision },
      },
      data: { v },
    });

    it('assigns uid, creationTimestamp and generation; a change of content moves the generation, a new revision alone does not', async () => {
      const first = await store.apply(cm('1'));
      expect(first.changed).toBe(true);
      expect(first.object.metadata).toMatchObject({ generation: 1, uid: expect.any(String) });
      const again = await store.apply(cm('1', 'b'));
      expect(again.changed).toBe(false);
      expect(again.object.metadata.generation).toBe(1);
      const changed = await store.apply(cm('2', 'c'));
      expect(changed.changed).toBe(true);
      expect(changed.object.metadata).toMatchObject({
        generation: 2,
        uid: first.object.metadata.uid,
        creationTimestamp: first.object.metadata.creationTimestamp,
      });
      expect(await store.get('ConfigMap/default/page')).toMatchObject({ data: { v: '2' } });
    });

    it('keeps status apart from the object, and writes no status once the object is gone', async () => {
      await store.apply(cm('3'));
      expect(await store.putStatus('ConfigMap/default/page', { ok: true })).toBe(true);
      await store.apply(cm('4'));
      expect((await store.get('ConfigMap/default/page'))?.status).toEqual({ ok: true });
      await store.delete('ConfigMap/default/page');
      expect(await store.putStatus('ConfigMap/default/page', { ok: true })).toBe(false);
      expect(await store.get('ConfigMap/default/page')).toBeUndefined();
    });

    it('reads an object typed by its kind: get(kind, namespace, name), list(kind), ofKind, asKind', async () => {
      await store.apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'typed', namespace: 'shop' },
        spec: {
          selector: { matchLabels: { app: 'typed' } },
          template: { spec: { containers: [] } },
        },
      });
      await store.putStatus('Deployment/shop/typed', { replicas: 2 });
      const d = await store.get('Deployment', 'shop', 'typed');
      // Typed: spec and status are the generated DeploymentSpec and DeploymentStatus.
      expect(d?.spec.selector.matchLabels).toEqual({ app: 'typed' });
      expect(d?.status?.replicas).toBe(2);
      expect(await store.get('Deployment', 'shop', 'absent')).toBeUndefined();
      expect((await store.list('Deployment', 'shop')).map((o) => o.spec.selector)).toEqual([
        { matchLabels: { app: 'typed' } },
      ]);
      const untyped = await store.get('Deployment/shop/typed');
      expect(untyped && ofKind([untyped], 'Deployment')).toEqual([d]);
      expect(untyped && ofKind([untyped], 'Pod')).toEqual([]);
      expect(() => untyped && asKind('Pod', untyped)).toThrow(
        'expected a Pod, got Deployment/shop/typed',
      );
      await store.delete('Deployment/shop/typed');
    });

    it('indexes objects by kind and namespace, and children by their controlling owner', async () => {
      const owner = (
        await store.apply({
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: { name: 'web-1', namespace: 'default' },
          spec: {},
        })
      ).object;
      const ref = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'web-1',
        uid: owner.metadata.uid,
        controller: true,
      };
      for (const name of ['web-1-a', 'web-1-b']) {
        await store.apply({
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: 'default', ownerReferences: [ref] },
          spec: {},
        });
      }
      await store.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'x', namespace: 'other' },
        spec: {},
      });
      expect(
        (await store.children('ReplicaSet/default/web-1')).map((p) => p.metadata.name),
      ).toEqual(['web-1-a', 'web-1-b']);
      expect((await store.list('Pod', 'other')).map((p) => p.metadata.name)).toEqual(['x']);
      expect(await store.list('Pod')).toHaveLength(3);
      await store.delete('Pod/default/web-1-a', { gracePeriodSeconds: 0 });
      expect(
        (await store.children('ReplicaSet/default/web-1')).map((p) => p.metadata.name),
      ).toEqual(['web-1-b']);
    });

    it('deletes a running pod gracefully: terminating until deleted with grace period 0', async () => {
      const pod = (terminationGracePeriodSeconds?: number) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'grace', namespace: 'default' },
        spec: {
          containers: [{ name: 'c', image: 'busybox' }],
          ...(terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds } : {}),
        },
      });
      const key = 'Pod/default/grace';
      const made = (await store.apply(pod(3))).object;
      await store.putStatus(key, { phase: 'Running' });
      const before = Date.now();
      await store.delete(key);
      const marked = await store.get(key);
      expect(marked?.metadata).toMatchObject({
        uid: made.metadata.uid,
        generation: made.metadata.generation + 1,
        deletionGracePeriodSeconds: 3,
      });
      const deadline = Date.parse(marked?.metadata.deletionTimestamp ?? '');
      expect(deadline).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3000);
      expect(deadline).toBeLessThanOrEqual(Date.now() + 4000);
      expect(marked?.status).toEqual({ phase: 'Running' });
      // An update neither clears the mark nor resurrects the pod; a longer grace changes nothing.
      await store.apply({ ...pod(3), metadata: { ...pod(3).metadata, labels: { a: 'b' } } });
      await store.delete(key, { gracePeriodSeconds: 60 });
      expect((await store.get(key))?.metadata).toMatchObject({
        deletionTimestamp: marked?.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: 3,
        labels: { a: 'b' },
      });
      // A shorter one moves the deadline earlier; 0 removes it.
      await store.delete(key, { gracePeriodSeconds: 1 });
      const shorter = await store.get(key);
      expect(shorter?.metadata.deletionGracePeriodSeconds).toBe(1);
      expect(Date.parse(shorter?.metadata.deletionTimestamp ?? '')).toBe(deadline - 2000);
      await store.delete(key, { gracePeriodSeconds: 0 });
      expect(await store.get(key)).toBeUndefined();
      expect(await store.putStatus(key, { phase: 'Running' })).toBe(false);

      // Default 30 s; a finished pod and any other kind go at once.
      await store.apply(pod());
      await store.delete(key);
      expect((await store.get(key))?.metadata.deletionGracePeriodSeconds).toBe(30);
      await store.putStatus(key, { phase: 'Succeeded' });
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
    });
  });
}
