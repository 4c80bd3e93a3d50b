import { compileLoadOptions, type LoadOptions } from './load-options.js';
import type { PodSecurityLevel } from './pod-security.js';
import type { RepositoryView } from './render/repository-view.js';

/** Policy of validating a revision (the `policy` block of berth.yaml) and loading bounds. */
export interface ValidateOptions extends LoadOptions {
  /** Pod Security Standards level of namespaces without the enforce label. Default `baseline`. */
  podSecurity?: PodSecurityLevel;
  /**
   * Let a Namespace's `pod-security.kubernetes.io/enforce` label loosen `podSecurity`. Default
   * false: the label may only make it stricter (the repository must not lift the host's policy).
   */
  allowNamespaceOverride?: boolean;
  /** Reject the kinds Berth ignores (ServiceAccount, RBAC...) instead of warning. Default false. */
  strict?: boolean;
  /** `apiVersion kind` pairs (`example.com/v1 Widget`) skipped instead of rejected. Default none. */
  ignoredKinds?: readonly string[];
  /** Host path prefixes hostPath volumes may use. Default none: hostPath is refused. */
  hostPathAllowed?: readonly string[];
  /**
   * The whole repository, when the files are those of a source path below its root: a
   * kustomization there may then list bases elsewhere in the repository.
   */
  repository?: RepositoryView;
}

/** {@link ValidateOptions} with defaults applied. */
export interface CompiledValidateOptions extends Required<LoadOptions> {
  podSecurity: PodSecurityLevel;
  allowNamespaceOverride: boolean;
  strict: boolean;
  ignoredKinds: ReadonlySet<string>;
  hostPathAllowed: readonly string[];
}

/** Applies the defaults of {@link ValidateOptions}. */
export function compileValidateOptions(options: ValidateOptions = {}): CompiledValidateOptions {
  const podSecurity = options.podSecurity ?? 'baseline';
  if (!['privileged', 'baseline', 'restricted'].includes(podSecurity))
    throw new RangeError(
      `podSecurity must be privileged, baseline or restricted, not "${podSecurity}"`,
    );
  return {
    ...compileLoadOptions(options),
    podSecurity,
    allowNamespaceOverride: options.allowNamespaceOverride ?? false,
    strict: options.strict ?? false,
    ignoredKinds: new Set((options.ignoredKinds ?? []).map((k) => k.trim().replace(/\s+/g, ' '))),
    hostPathAllowed: options.hostPathAllowed ?? [],
  };
}
