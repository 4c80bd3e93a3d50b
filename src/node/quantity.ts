import { NodeError } from './node-error.js';

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

/**
 * Parses a Kubernetes resource quantity (`500m`, `1.5`, `128Mi`, `1G`, `2e3`) into a plain
 * number (cores for cpu, bytes for memory). Throws `InvalidQuantity` on anything else.
 */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m =
    /^([+-]?\d+(?:\.\d+)?|[+-]?\.\d+)(?:[eE]([+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(
      value.trim(),
    );
  if (!m) {
    throw new NodeError(
      'InvalidQuantity',
      `"${value}" is not a resource quantity (like 500m or 128Mi)`,
      {
        value,
      },
    );
  }
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2]);
  return base * (SUFFIX[m[3] ?? ''] as number);
}
