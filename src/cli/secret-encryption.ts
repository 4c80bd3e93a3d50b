import { type BerthConfig, readSecret } from '../config/index.js';
import { loadEncryptionKey, SecretCodec, useSecretCodec } from '../store/index.js';

/**
 * Makes this process seal Secret data in Redis with the configured key (`secrets.encryptionKey`),
 * else the key generated into the state directory (mode 0600). Every command that reads or
 * writes Berth's state calls it once, after loading the configuration.
 */
export function useSecretEncryption(config: BerthConfig, env: NodeJS.ProcessEnv): void {
  const ref = config.secrets.encryptionKey;
  useSecretCodec(
    new SecretCodec(loadEncryptionKey(ref ? readSecret(ref, env) : undefined, config.stateDir)),
  );
}
