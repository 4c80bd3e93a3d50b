import { describe, expect, it } from 'vitest';
import { type ObjectStore, REVISION_ANNOTATION } from '../../src/store/index.js';

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
      await store.delete('Pod/default/web-1-a');
      expect(
        (await store.children('ReplicaSet/default/web-1')).map((p) => p.metadata.name),
      ).toEqual(['web-1-b']);
    });
  });
}
