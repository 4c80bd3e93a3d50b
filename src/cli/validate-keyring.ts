import { type BerthConfig, readSecret } from '../config/index.js';
import type { IdentitySource } from '../manifests/index.js';
import { AgeKeyring, sopsEnvironmentIdentities } from '../manifests/index.js';

/**
 * The age identities `berth validate` decrypts SOPS files with: sops's environment
 * (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, the default keys file) and the `decryption.ageKeys`
 * of every configured source that can be read here.
 */
export async function validateKeyring(
  config: BerthConfig,
  env: NodeJS.ProcessEnv,
): Promise<AgeKeyring> {
  const sources: IdentitySource[] = sopsEnvironmentIdentities(env);
  for (const source of config.sources) {
    const ref = source.decryption?.ageKeys;
    if (!ref) continue;
    try {
      sources.push({
        location: ref.env ?? (ref.file as string),
        text: readSecret(ref, env),
        wordsPerLine: ref.env !== undefined,
      });
    } catch {
      // Not readable from this shell (another host's variable or file): sops's environment may do.
    }
  }
  return AgeKeyring.create(sources);
}
