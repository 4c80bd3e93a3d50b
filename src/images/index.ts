// Images: references, registry credentials (pull secrets, berth.yaml, Docker's config), and
// Berth's own client of the Registry HTTP API v2.
export {
  type DockerConfigFormat,
  type ParsedDockerConfig,
  PULL_SECRET_TYPES,
  parseDockerConfig,
  type RegistryAuth,
} from './docker-config.js';
export { findImageDrift, type ImageDrift, pulledDigest, type RunningPod } from './image-drift.js';
export {
  DOCKER_HUB,
  effectiveTag,
  type ImageReference,
  parseImageReference,
  repositoryName,
} from './image-reference.js';
export {
  type CredentialSource,
  credentialsFor,
  dockerConfigPath,
  type PullCredential,
  readDockerConfigFile,
} from './pull-credentials.js';
export { RegistryClient } from './registry-client.js';
export { RegistryError } from './registry-error.js';
export { registryKeyMatch } from './registry-key.js';
export {
  type DockerRegistryConfig,
  RegistryTransport,
  type RegistryTransportOptions,
} from './registry-transport.js';
export { latestTag, type TagFilter, type TagPolicy } from './tag-policy.js';
