import { BerthError } from '../util/berth-error.js';

/**
 * A pod could not be made to run as its spec says (a missing ConfigMap key, a refused hostPath,
 * an image that cannot be pulled). `code` is the Kubernetes waiting reason when there is one
 * (`CreateContainerConfigError`, `ErrImagePull`, `ErrImageNeverPull`, `InvalidHostPath`...).
 */
export class NodeError extends BerthError {}
