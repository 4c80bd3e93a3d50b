import type { PodCheckContext } from './pod-check-context.js';

/**
 * Reports a reference to a ConfigMap, Secret or PVC that the revision does not hold in the
 * object's namespace (unless optional), and keys (`keys`, at `keysAt`) the object lacks.
 */
export function checkRef(
  ctx: PodCheckContext,
  ptr: string,
  kind: string,
  name: string | undefined,
  optional: boolean | undefined,
  keys: string[] = [],
  keysAt = '',
): void {
  if (optional === true || !name) return;
  const target = ctx.index.get(kind, ctx.obj.namespace, name);
  if (!target && ctx.index.exists(kind, ctx.obj.namespace, name)) return; // has its own errors
  if (!target) {
    ctx.report.error(
      ctx.obj,
      ptr,
      'reference',
      `${kind} "${name}" does not exist in namespace "${ctx.obj.namespace}" of this revision (mark it optional if that is intended)`,
    );
    return;
  }
  if (kind === 'PersistentVolumeClaim') return;
  const present = new Set([
    ...Object.keys((target.value.data ?? {}) as object),
    ...Object.keys((target.value.binaryData ?? {}) as object),
    ...Object.keys((target.value.stringData ?? {}) as object),
  ]);
  for (const key of keys)
    if (!present.has(key))
      ctx.report.error(ctx.obj, keysAt, 'reference', `${kind} "${name}" has no key "${key}"`);
}
