/**
 * The labels on every Docker object Berth creates. Docker is the live state: after a crash
 * Berth rebuilds its view from these, and it never touches an object without `managed=true`
 * and its own `instance`.
 */
export const LABELS = {
  managed: 'io.berth.managed',
  instance: 'io.berth.instance',
  source: 'io.berth.source',
  namespace: 'io.berth.namespace',
  kind: 'io.berth.kind',
  name: 'io.berth.name',
  pod: 'io.berth.pod',
  container: 'io.berth.container',
  specHash: 'io.berth.spec-hash',
  revision: 'io.berth.revision',
} as const;

/** Docker label filters that select exactly the objects of one Berth instance. */
export function instanceFilter(instance: string): string[] {
  return [`${LABELS.managed}=true`, `${LABELS.instance}=${instance}`];
}
