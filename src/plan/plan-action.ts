import type { HookDeletePolicy, HookPhase } from '../manifests/index.js';
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
  /** Its sync wave, when not 0: waves apply in ascending order, deletions in descending. */
  wave?: number;
}

/** A hook of the revision: a Job or Pod run at its phases, never applied as an object nor pruned. */
export interface PlanHook {
  /** `Kind/namespace/name`. */
  key: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** PreSync, Sync (among the wave's objects), PostSync, SyncFail. */
  phases: HookPhase[];
  wave: number;
  deletePolicies: HookDeletePolicy[];
}

/** Counts of a plan, per action type. */
export type PlanSummary = Record<ActionType, number>;

/**
 * An ordered plan: applies by wave then kind order, then deletions in reverse wave and kind
 * order; the hooks apart, each at its phases.
 */
export interface Plan {
  actions: PlanAction[];
  /** Hooks, by wave then kind order. */
  hooks: PlanHook[];
  /** Objects of the revision Berth will not apply (hook: Skip, reconcile: disabled) and not live. */
  skipped: Array<{ key: string; reason: string }>;
  summary: PlanSummary;
  /** True when applying the plan would change anything (create, update or delete). */
  hasChanges: boolean;
}
