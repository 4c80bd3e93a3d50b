import type { HistoryRecord } from '../store/index.js';

/** A source's history as kubectl prints a list (`berth history -o json`, the API): `{"apiVersion": "v1", "kind": "List", "items": [...]}`. */
export function revisionList(source: string, records: HistoryRecord[]): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: records.map((r) => ({
      apiVersion: 'berth.dev/v1alpha1',
      kind: 'Revision',
      metadata: { name: r.revision, labels: { 'berth.dev/source': source } },
      spec: {
        subject: r.subject,
        author: r.author,
        committedAt: r.committedAt,
        reverts: r.reverts,
      },
      status: {
        seenAt: r.seenAt,
        trigger: r.trigger,
        result: r.result,
        errors: r.errors,
        ...(r.revertedBy ? { revertedBy: r.revertedBy } : {}),
        ...(r.health ? { health: r.health } : {}),
        ...(r.notes ? { notes: r.notes } : {}),
      },
    })),
  };
}
