export { deepEqual, diffValues, type FieldChange } from './diff-values.js';
export { KIND_ORDER, kindRank } from './kind-order.js';
export { makePlan, type PlanInput } from './make-plan.js';
export { MASK, maskSecret } from './mask-secret.js';
export { normalizeForDiff } from './normalize.js';
export type { ActionType, Plan, PlanAction, PlanHook, PlanSummary } from './plan-action.js';
export { type PlanObject, PRUNE_ANNOTATION, planKey, pruneDisabled } from './plan-object.js';
export {
  displayName,
  type PlanReport,
  type PlanSide,
  type ReportProblem,
  sideLabel,
} from './plan-report.js';
export { type PodImpact, podImpact, referencedConfig } from './pod-impact.js';
export { planObject, renderJson } from './render-json.js';
export { commentMarker, type MarkdownOptions, renderMarkdown } from './render-markdown.js';
export { impactLine, renderText, SIGN } from './render-text.js';
export {
  isOrdered,
  type SyncStep,
  stepLabel,
  syncFailHooks,
  syncOrderLines,
  syncSteps,
} from './sync-steps.js';
export { yamlDiff } from './yaml-diff.js';
