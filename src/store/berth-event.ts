/** The object an event is about, as `kubectl describe` names it. */
export interface InvolvedObject {
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/**
 * Something that happened, in the shape of a Kubernetes Event: `Normal` or `Warning`, a
 * CamelCase reason (`Pulled`, `BackOff`, `ScalingReplicaSet`, `SyncFailed`...), the object, a
 * sentence, and the git revision it belongs to. Never carries a secret.
 */
export interface BerthEvent {
  /** ISO 8601; set by the store when absent. */
  time?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  object: InvolvedObject;
  message: string;
  /** Source (repository) the event belongs to, when it belongs to one. */
  source?: string;
  /** Git commit SHA the event belongs to. */
  revision?: string;
}

/** An event as read back: with its time and its id in the store (time-ordered). */
export interface StoredEvent extends BerthEvent {
  id: string;
  time: string;
}
