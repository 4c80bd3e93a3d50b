import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type DockerConfigFormat, parseDockerConfig, type RegistryAuth } from './docker-config.js';
import type { ImageReference } from './image-reference.js';
import { registryKeyMatch } from './registry-key.js';

/** A set of registry credentials and where it came from (named in events, never its values). */
export interface CredentialSource {
  /** `Secret shop/regcred`, `berth.yaml registries`, `/root/.docker/config.json`. */
  origin: string;
  auths: RegistryAuth[];
}

/** Credentials to try for one pull, as Docker's X-Registry-Auth takes them. */
export interface PullCredential {
  username: string;
  password: string;
  /** The registry key they were found under. */
  serveraddress: string;
  /** Where they came from: for events and logs. */
  origin: string;
}

/**
 * The credentials to try for an image, in order: the sources in the order given (the pod's
 * imagePullSecrets in order, then berth.yaml's registries, then Docker's config), within a
 * source the most specific key first; the same user and password are tried once. Empty: pull
 * anonymously. As the kubelet, a pull with credentials never falls back to an anonymous one.
 */
export function credentialsFor(
  image: ImageReference,
  sources: readonly CredentialSource[],
): PullCredential[] {
  const out: PullCredential[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const matches = source.auths
      .map((auth) => ({ auth, score: registryKeyMatch(auth.key, image) }))
      .filter((m) => m.score >= 0)
      .sort((a, b) => b.score - a.score);
    for (const { auth } of matches) {
      const id = `${auth.username}\0${auth.password}`;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        username: auth.username,
        password: auth.password,
        serveraddress: image.registry,
        origin: source.origin,
      });
    }
  }
  return out;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`: where `docker login` writes. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(dir, 'config.json');
}

/**
 * The credentials of a Docker config file (`auths`; credential helpers are not run). A missing
 * file is no credentials; an unreadable or invalid one too, with the reason in `problems`.
 */
export async function readDockerConfigFile(
  file: string,
  format: DockerConfigFormat = 'dockerconfigjson',
): Promise<CredentialSource & { problems: string[] }> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? undefined : Promise.reject(err),
  );
  if (text === undefined) return { origin: file, auths: [], problems: [] };
  const parsed = parseDockerConfig(text, format);
  // Docker writes `{"auths": {}}` or only credsStore: both are fine, no auths.
  const problems = parsed.problems.filter((p) => p !== 'has no "auths" object');
  return { origin: file, auths: parsed.auths, problems };
}
