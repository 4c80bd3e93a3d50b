// The manifests layer: load a revision's files with positions, validate them against
// Berth's schemas and semantic rules, and produce the DesiredState the plan and the
// reconcile loop consume.

export { SCHEDULING_ONLY_FIELDS } from './check-pod-spec.js';
export {
  AgeKeyring,
  type DecryptionConfig,
  decryptAndValidate,
  decryptRevision,
  decryptSopsFile,
  type IdentitySource,
  keyringFor,
  SopsError,
  sopsEnvironmentIdentities,
} from './decrypt/index.js';
export type {
  DesiredObject,
  DesiredState,
  SourcePosition,
  ValidationResult,
} from './desired-state.js';
export { objectKey } from './desired-state.js';
export { formatJson, formatProblem, formatText } from './format-problems.js';
export type * from './generated/k8s-objects.js';
export { InvalidRevisionError } from './invalid-revision-error.js';
export { classifyKind, type KindVerdict, SUPPORTED_KINDS, type SupportedKind } from './kinds.js';
export { isManifestPath, type LoadResult, loadManifests } from './load-manifests.js';
export type { LoadOptions } from './load-options.js';
export type { ManifestObject } from './manifest-object.js';
export { MAX_YAML_DEPTH, nestingDepthExcess } from './nesting-depth.js';
export { checkPodSecurity, type PodSecurityLevel } from './pod-security.js';
export { POD_TEMPLATE_PATHS, podTemplateNode, runsPods } from './pod-template.js';
export type { Problem, ProblemCode, Severity } from './problem.js';
export { parseQuantity } from './quantity.js';
export { readDirectory } from './read-directory.js';
export { repositoryViewFor } from './render/load-kustomization.js';
export type { RepositoryView } from './render/repository-view.js';
export {
  HOOK_KINDS,
  HOOK_PHASES,
  type HookDeletePolicy,
  type HookPhase,
  type SyncOptions,
  syncOptionsOf,
  syncOptionsOfObject,
} from './sync-annotations.js';
export { compileValidateOptions, type ValidateOptions } from './validate-options.js';
export { validateRevision } from './validate-revision.js';
