import { parseQuantity } from '../manifests/index.js';
import { NodeError } from './node-error.js';

/**
 * A Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1G`, `2e3`, `100n`, `1.`) as a plain
 * number (cores for cpu, bytes for memory), by the one parser validation uses
 * (manifests' parseQuantity, resource.Quantity's grammar): what passed validation runs. Throws
 * `InvalidQuantity` on anything else.
 */
export function requireQuantity(value: string | number): number {
  const parsed = parseQuantity(value);
  if (parsed === null) {
    throw new NodeError(
      'InvalidQuantity',
      `"${value}" is not a resource quantity (like 500m or 128Mi)`,
      { value },
    );
  }
  return parsed;
}
