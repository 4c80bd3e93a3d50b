import { parseObjectKey, type Reconciler, TerminalError } from '../queue/index.js';
import { SOURCE_ANNOTATION } from '../store/index.js';
import type { ControllerDeps, ControllerQueue } from './controller.js';
import { deleteChildren } from './owned.js';
import { CONTROLLERS, controllersOf } from './registry.js';

/** Options of {@link objectReconciler}. */
export interface ObjectReconcilerOptions {
  deps: ControllerDeps;
  /** The queue whose controllers run. */
  queue: ControllerQueue;
  /** Whether a source is suspended (SourceStateStore.suspended): its objects are left alone. */
  suspended(source: string): Promise<boolean>;
  /** The controllers to pick from. Default: the registry, CONTROLLERS. */
  controllers?: typeof CONTROLLERS;
}

/**
 * The queue-level reconciler of a queue of object keys (controller-runtime's
 * `ObjectReconciler`): parses the key, reads the object once, leaves objects of a suspended
 * source alone, and calls the controllers of the key's kind on this queue with the object or
 * `undefined` (a kind without one is a no-op). On the reconcile queue, a gone object's children
 * are deleted first, as Kubernetes' garbage collector does by ownerReferences.
 */
export function objectReconciler(options: ObjectReconcilerOptions): Reconciler {
  const { deps, queue } = options;
  const byKind = controllersOf(queue, options.controllers ?? CONTROLLERS);
  return async (ctx, key) => {
    let request: ReturnType<typeof parseObjectKey>;
    try {
      request = parseObjectKey(key);
    } catch (err) {
      throw new TerminalError((err as Error).message);
    }
    const controllers = byKind.get(request.kind);
    if (!controllers) return;
    const object = await deps.store.get(key);
    const source = object?.metadata.annotations?.[SOURCE_ANNOTATION];
    if (source && (await options.suspended(source))) {
      ctx.log.debug({ source }, 'source suspended: left as it is');
      return;
    }
    if (!object && queue === 'reconcile') await deleteChildren(deps, key);
    const context = { ...deps, ...ctx };
    let requeueAfterMs: number | undefined;
    for (const controller of controllers) {
      const result = await controller.reconcile(context, { key, ...request }, object);
      const after = result?.requeueAfterMs;
      if (after !== undefined) requeueAfterMs = Math.min(after, requeueAfterMs ?? after);
    }
    return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
  };
}
