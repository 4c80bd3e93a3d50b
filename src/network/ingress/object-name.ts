/** `namespace/name` of an object (namespace `default` when absent). */
export function objectName(o: { metadata: { namespace?: string; name: string } }): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}
