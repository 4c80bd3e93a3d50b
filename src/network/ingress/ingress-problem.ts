/** Why part of an Ingress is not served as written. */
export type IngressProblemReason =
  | 'ServiceNotFound'
  | 'ServicePortNotFound'
  | 'UnsupportedBackend'
  | 'InvalidHost'
  | 'InvalidPath'
  | 'RuleConflict'
  | 'SecretNotFound'
  | 'InvalidTLSSecret';

/**
 * Something wrong with an Ingress that the route table works around (the rule is skipped or
 * answers 503): the Ingress controller records each as a Warning event on the Ingress.
 * Messages name objects and fields only, never secret material.
 */
export interface IngressProblem {
  /** `namespace/name` of the Ingress. */
  ingress: string;
  reason: IngressProblemReason;
  message: string;
}
