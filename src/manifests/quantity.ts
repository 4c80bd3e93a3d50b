// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): "500m", "1.5", "128Mi",
// "1e3", or a bare YAML number (`cpu: 0.5`), as the API server accepts them.

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const QUANTITY =
  /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/**
 * Parses a quantity to a plain number (cores for cpu, bytes for memory). Returns null when
 * `value` is not a quantity. Numbers are accepted as they are.
 */
export function parseQuantity(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const m = QUANTITY.exec(value.trim() === value ? value : '');
  if (!m) return null;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? '';
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** The message for a value that is not a quantity. */
export const QUANTITY_EXPECTED =
  'expected a quantity such as 500m, 0.5, 128Mi or 1G (a number with an optional suffix n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)';
