import type { Pod } from '../node/index.js';
import type { Result } from '../queue/index.js';
import {
  controllerOf,
  DEFAULT_GRACE_PERIOD_SECONDS,
  isTerminating,
  type Stored,
} from '../store/index.js';
import { type Controller, type ControllerContext, nodeServices } from './controller.js';

/**
 * The node's Pod controller: a pod in the store is run by the node agent with the store's uid
 * (a live pod of the same name and another uid — an older pod — is killed first); a pod gone
 * from the store is killed (graceful stop, then removal of its containers and volumes). A pod
 * the store marks terminating (deletionTimestamp) is stopped within its
 * deletionGracePeriodSeconds in the background and deleted from the store once nothing of it is
 * left on Docker (the kubelet's and the API server's finalization); its owner is woken then.
 */
export const podNodeController: Controller<'Pod'> = {
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
    if (isTerminating(stored)) return finishDeletion(deps, key, stored, pod);
    const status = await agent.syncPod(pod);
    await writer.write(pod, status);
  },
};

/** Stops a terminating pod; deletes it from the store once its containers are gone. */
async function finishDeletion(
  deps: ControllerContext,
  key: string,
  stored: Stored<'Pod'>,
  pod: Pod,
): Promise<Result | undefined> {
  const { agent, writer, podGone } = nodeServices(deps);
  const grace = stored.metadata.deletionGracePeriodSeconds ?? DEFAULT_GRACE_PERIOD_SECONDS;
  const gone = await agent.terminatePod(pod, grace);
  // Its Services drop it from their endpoints, its owner counts it apart, from the first look
  // (as their informers would see the update) to the last.
  await podGone(pod);
  const owner = controllerOf(stored);
  if (owner) await deps.enqueue(owner);
  // The agent enqueues the pod when its containers are gone; this is the fallback.
  if (!gone) return { requeueAfterMs: grace * 1000 + 2000 };
  writer.forget(key);
  const now = await deps.store.get(key);
  if (now?.metadata.uid === stored.metadata.uid)
    await deps.store.delete(key, { gracePeriodSeconds: 0 });
  deps.logger.info(
    { namespace: pod.metadata.namespace, pod: pod.metadata.name },
    'terminated pod deleted',
  );
  if (owner) await deps.enqueue(owner);
  return undefined;
}

/** The pod as the node agent takes it. */
export function toPod(o: Stored<'Pod'>): Pod {
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
    spec: o.spec,
  } as Pod;
}
