import type { PodCheckContext } from './pod-check-context.js';
import { parseQuantity, QUANTITY_EXPECTED } from './quantity.js';

/** Reports a quantity that does not parse. */
export function checkQuantity(
  ctx: Pick<PodCheckContext, 'report' | 'obj'>,
  ptr: string,
  value: unknown,
): void {
  if (
    parseQuantity(value) === null ||
    (typeof value === 'number' && value < 0) ||
    (typeof value === 'string' && value.startsWith('-'))
  )
    ctx.report.error(
      ctx.obj,
      ptr,
      'quantity',
      `${QUANTITY_EXPECTED}; found ${JSON.stringify(value)}`,
    );
}
