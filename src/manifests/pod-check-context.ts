import type { ManifestObject } from './manifest-object.js';
import type { Reporter } from './reporter.js';
import type { RevisionIndex } from './revision-index.js';

/** What the pod checks need besides the pod: the revision and the host-path policy. */
export interface PodCheckContext {
  report: Reporter;
  obj: ManifestObject;
  index: RevisionIndex;
  /** Host path prefixes hostPath volumes may use (policy.hostPathAllowed). */
  hostPathAllowed: readonly string[];
  /** Volume names provided by a StatefulSet's volumeClaimTemplates. */
  claimTemplates: readonly string[];
}
