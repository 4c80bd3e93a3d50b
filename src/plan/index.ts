export { deepEqual, diffValues, type FieldChange } from './diff-values.js';
export { KIND_ORDER, kindRank } from './kind-order.js';
export { makePlan, type PlanInput } from './make-plan.js';
export { MASK, maskSecret } from './mask-secret.js';
export { normalizeForDiff } from './normalize.js';
export type { ActionType, Plan, PlanAction, PlanSummary } from './plan-action.js';
export { type PlanObject, PRUNE_ANNOTATION, planKey, pruneDisabled } from './plan-object.js';
