import type { Pod } from '../node/index.js';
import type { StoredObject } from '../store/index.js';
import { type Controller, nodeServices } from './controller.js';

/**
 * The node's Pod controller: a pod in the store is run by the node agent with the store's uid
 * (a live pod of the same name and another uid — an older pod — is killed first); a pod gone
 * from the store is killed (graceful stop, then removal of its containers and volumes).
 */
export const podNodeController: Controller = {
  kind: 'Pod',
  queue: 'node',
  async reconcile(deps, { key, namespace, name }, stored) {
    const { agent, writer, podGone } = nodeServices(deps);
    const running = agent.podNamed(namespace, name);
    if (running && (!stored || running.metadata.uid !== stored.metadata.uid)) {
      writer.forget(key);
      await agent.killPod(running);
      deps.logger.info({ namespace, pod: name }, 'pod stopped and removed');
      await podGone(running);
    }
    if (!stored) return;
    const pod = toPod(stored);
    const status = await agent.syncPod(pod);
    await writer.write(pod, status);
  },
};

/** The pod as the node agent takes it. */
export function toPod(o: StoredObject): Pod {
  const { name, namespace, uid, labels, annotations, ownerReferences } = o.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: namespace ?? 'default',
      uid,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ...(ownerReferences ? { ownerReferences } : {}),
    },
    spec: o.spec as Pod['spec'],
  } as Pod;
}
