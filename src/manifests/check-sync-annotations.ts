import { pointer } from './field-path.js';
import type { ManifestObject } from './manifest-object.js';
import type { Reporter } from './reporter.js';
import { HOOK_KINDS, syncOptionsOf } from './sync-annotations.js';

/**
 * Checks the sync annotations of an object (waves, hooks, Argo CD's and Flux's options): each
 * bad value at its annotation, and hooks only on what runs to completion (Job, Pod).
 */
export function checkSyncAnnotations(
  report: Reporter,
  obj: ManifestObject,
  metadata: Record<string, unknown>,
): void {
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (!annotations) return;
  const { options, problems } = syncOptionsOf(annotations);
  for (const p of problems)
    report.error(obj, `/metadata/annotations${pointer(p.annotation)}`, 'sync-option', p.message);
  if (options.hooks.length > 0 && !HOOK_KINDS.has(obj.kind)) {
    const key = Object.keys(annotations).find((k) => k.endsWith('/hook')) ?? 'berth.dev/hook';
    report.error(
      obj,
      `/metadata/annotations${pointer(key)}`,
      'sync-option',
      `a ${obj.kind} cannot be a hook: hooks are Jobs or Pods (what runs to completion)`,
    );
  }
}
