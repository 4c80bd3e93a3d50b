// Image update automation (Flux's image-reflector and image-automation controllers, the Berth
// way): tags scanned in registries, the newest by a policy committed to the tracked branch.
export {
  type ImageChange,
  type ImageTarget,
  parseMarker,
  type SetResult,
  setImages,
} from './image-setters.js';
export {
  ImageUpdateScanner,
  type ImageUpdateScannerOptions,
  type ScanResult,
} from './image-update-scanner.js';
export { type ImageUpdates, type ImageUpdatesOptions, startImageUpdates } from './image-updates.js';
export { type RevertedUpdate, revertedUpdates } from './reverted-updates.js';
export { type UpdateCommit, type UpdateCommitOptions, writeUpdateCommit } from './update-commit.js';
export { parseUpdateTrailer, updateMessage } from './update-message.js';
