/**
 * Fields a comparison must ignore: what Kubernetes or Berth writes itself (status, server-set
 * metadata). Desired and live objects are compared on what a user writes.
 */
const SERVER_METADATA = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
];

/**
 * A copy of `value` without status, server-set metadata and empty metadata maps, its keys in
 * the order kubectl prints them: apiVersion, kind, metadata, then the rest as written.
 */
export function normalizeForDiff(value: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, apiVersion, kind, metadata, ...rest } = value;
  const head: Record<string, unknown> = {};
  if (apiVersion !== undefined) head.apiVersion = apiVersion;
  if (kind !== undefined) head.kind = kind;
  if (metadata === undefined || metadata === null || typeof metadata !== 'object')
    return { ...head, ...rest };
  const meta = { ...(metadata as Record<string, unknown>) };
  for (const field of SERVER_METADATA) delete meta[field];
  for (const map of ['labels', 'annotations']) {
    const m = meta[map];
    if (m && typeof m === 'object' && Object.keys(m).length === 0) delete meta[map];
  }
  return { ...head, metadata: meta, ...rest };
}
