/**
 * The one key format of a Kubernetes object in Berth: `Kind/namespace/name`, namespace empty for
 * cluster-scoped kinds (`Namespace//shop`). Store keys, queue keys and plan keys are all this.
 */
export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}
