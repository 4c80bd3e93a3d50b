import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { readSecret, type SourceConfig } from '../../config/index.js';
import { BerthError } from '../../util/berth-error.js';
import { AgeKeyring, type IdentitySource } from './age-keyring.js';

/** A source's `decryption` block (berth.yaml `sources[].decryption`). */
export type DecryptionConfig = NonNullable<SourceConfig['decryption']>;

/**
 * The age identities sops itself would use, from the environment: `SOPS_AGE_KEY` (keys
 * separated by white space), the file `SOPS_AGE_KEY_FILE`, and the default keys file
 * `$XDG_CONFIG_HOME/sops/age/keys.txt` (else `~/.config/sops/age/keys.txt`) when it exists.
 * `SOPS_AGE_KEY_CMD` and SSH keys are not read.
 */
export function sopsEnvironmentIdentities(env: NodeJS.ProcessEnv = process.env): IdentitySource[] {
  const sources: IdentitySource[] = [];
  if (env.SOPS_AGE_KEY)
    sources.push({ location: 'SOPS_AGE_KEY', text: env.SOPS_AGE_KEY, wordsPerLine: true });
  if (env.SOPS_AGE_KEY_FILE) sources.push(readKeysFile(env.SOPS_AGE_KEY_FILE, 'SOPS_AGE_KEY_FILE'));
  const configHome = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  const defaultFile = path.join(configHome, 'sops', 'age', 'keys.txt');
  if (existsSync(defaultFile)) sources.push(readKeysFile(defaultFile, defaultFile));
  return sources;
}

function readKeysFile(file: string, label: string): IdentitySource {
  try {
    return { location: file, text: readFileSync(file, 'utf8') };
  } catch (err) {
    throw new BerthError(
      'SOPS_AGE_IDENTITY',
      `cannot read the age keys file ${file} (${label}): ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      { file },
    );
  }
}

/**
 * The keyring a source's revisions are decrypted with: its `decryption.ageKeys` when set
 * (read now, at each revision, never kept in the configuration), otherwise sops's own
 * environment conventions ({@link sopsEnvironmentIdentities}).
 */
export async function keyringFor(
  decryption: DecryptionConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AgeKeyring> {
  if (!decryption) return AgeKeyring.create(sopsEnvironmentIdentities(env));
  const ref = decryption.ageKeys;
  const text = readSecret(ref, env);
  return AgeKeyring.create([
    {
      location: ref.env !== undefined ? `environment variable ${ref.env}` : (ref.file as string),
      text,
      wordsPerLine: ref.env !== undefined,
    },
  ]);
}
