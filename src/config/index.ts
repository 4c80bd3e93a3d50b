export type {
  BerthConfig,
  BerthConfigFile,
  ForgeKind,
  ImageTagPolicy,
  ImageUpdateConfig,
  NotificationTarget,
  RegistryCredential,
  ReviewConfig,
  SecretRef,
  SourceConfig,
  SourceRef,
  SyncWindow,
} from './berth-config.js';
export { type CompileInput, compileConfig, ENV } from './compile-config.js';
export { ConfigError } from './config-error.js';
export { describeRef } from './describe-ref.js';
export {
  DEFAULT_CONFIG_FILE,
  type LoadConfigOptions,
  loadConfig,
  parseConfigText,
} from './load-config.js';
export { readSecret } from './read-secret.js';
