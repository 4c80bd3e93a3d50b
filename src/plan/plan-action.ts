import type { FieldChange } from './diff-values.js';

/**
 * What the plan does with one object: `create` (in Git, not running), `update` (both, and they
 * differ), `delete` (running, gone from Git: prune), `keep` (gone from Git but kept: prune is off
 * for the source or the object opted out), `unchanged`.
 */
export type ActionType = 'create' | 'update' | 'delete' | 'keep' | 'unchanged';

/** One step of a plan. Secret values never appear in it. */
export interface PlanAction {
  type: ActionType;
  /** `Kind/namespace/name`. */
  key: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Fields that change (update), or are set (create) / removed (delete) at the top level. */
  changes: FieldChange[];
  /** The live object (update, delete, keep, unchanged), Secrets masked, status dropped. */
  before?: Record<string, unknown>;
  /** The desired object (create, update, unchanged), Secrets masked. */
  after?: Record<string, unknown>;
  /** Why a `keep` is kept. */
  reason?: string;
}

/** Counts of a plan, per action type. */
export type PlanSummary = Record<ActionType, number>;

/** An ordered plan: applies in kind order, then deletions in reverse kind order. */
export interface Plan {
  actions: PlanAction[];
  summary: PlanSummary;
  /** True when applying the plan would change anything (create, update or delete). */
  hasChanges: boolean;
}
