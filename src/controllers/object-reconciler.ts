import { parseObjectKey, type Reconciler, TerminalError } from '../queue/index.js';
import { SOURCE_ANNOTATION } from '../store/index.js';
import type { SourceStateStore } from '../sync/source-state.js';
import type { Controller, ControllerDeps } from './controller.js';

/**
 * The reconciler of a queue of object keys: parses the key, leaves objects of a suspended
 * source alone, and calls the controller of the key's kind (a kind without one is a no-op).
 */
export function objectReconciler(
  deps: ControllerDeps,
  controllers: Readonly<Record<string, Controller>>,
  states: SourceStateStore,
): Reconciler {
  return async (ctx, key) => {
    let parsed: ReturnType<typeof parseObjectKey>;
    try {
      parsed = parseObjectKey(key);
    } catch (err) {
      throw new TerminalError((err as Error).message);
    }
    const controller = controllers[parsed.kind];
    if (!controller) return;
    const object = await deps.store.get(key);
    const source = object?.metadata.annotations?.[SOURCE_ANNOTATION];
    if (source && (await states.suspended(source))) {
      ctx.log.debug({ source }, 'source suspended: left as it is');
      return;
    }
    return controller(deps, ctx, { key, ...parsed });
  };
}
