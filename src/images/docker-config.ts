/** One registry's credentials from a Docker config: the key as written and the user/password pair. */
export interface RegistryAuth {
  /** The registry key as written (`127.0.0.1:5000`, `https://index.docker.io/v1/`, `*.example.com`). */
  key: string;
  username: string;
  password: string;
}

/** The three shapes a Docker credential file comes in. */
export type DockerConfigFormat =
  /** `kubernetes.io/dockerconfigjson` Secrets and `~/.docker/config.json`: `{"auths": {...}}`. */
  | 'dockerconfigjson'
  /** `kubernetes.io/dockercfg` Secrets (the old `~/.dockercfg`): the entries at the top level. */
  | 'dockercfg';

/** The key each registry-credential Secret type keeps its file under, and the file's format. */
export const PULL_SECRET_TYPES: Readonly<
  Record<string, { key: string; format: DockerConfigFormat }>
> = {
  'kubernetes.io/dockerconfigjson': { key: '.dockerconfigjson', format: 'dockerconfigjson' },
  'kubernetes.io/dockercfg': { key: '.dockercfg', format: 'dockercfg' },
};

/** The parsed file: its credentials, or what is wrong with it (no value is ever quoted). */
export interface ParsedDockerConfig {
  auths: RegistryAuth[];
  /** Empty when the file is usable. Each names a field path and what is wrong, never a value. */
  problems: string[];
}

/**
 * Parses a Docker credential file as the kubelet reads pull secrets: each entry's `auth`
 * (base64 of `user:password`) wins over `username`/`password`; `email` and `identitytoken`
 * are ignored. Problems are described without quoting any of the content: the text is a secret.
 */
export function parseDockerConfig(text: string, format: DockerConfigFormat): ParsedDockerConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text: never show it.
    return { auths: [], problems: ['is not valid JSON'] };
  }
  if (!isObject(json)) return { auths: [], problems: ['must be a JSON object'] };
  let entries: Record<string, unknown> = json;
  let at = '';
  if (format === 'dockerconfigjson') {
    if (json.auths === undefined) return { auths: [], problems: ['has no "auths" object'] };
    if (!isObject(json.auths)) return { auths: [], problems: ['"auths" must be an object'] };
    entries = json.auths;
    at = 'auths.';
  }
  const auths: RegistryAuth[] = [];
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const where = `${at}${JSON.stringify(key)}`;
    if (key.trim() === '') {
      problems.push(`${where}: the registry name is empty`);
      continue;
    }
    if (!isObject(entry)) {
      problems.push(`${where} must be an object`);
      continue;
    }
    const parsed = entryCredentials(entry);
    if (typeof parsed === 'string') problems.push(`${where}: ${parsed}`);
    else if (parsed) auths.push({ key, ...parsed });
  }
  return { auths, problems };
}

/** An entry's user and password; a string says what is wrong; undefined: no credentials (allowed). */
function entryCredentials(
  entry: Record<string, unknown>,
): { username: string; password: string } | string | undefined {
  for (const field of ['auth', 'username', 'password'] as const) {
    if (entry[field] !== undefined && typeof entry[field] !== 'string')
      return `"${field}" must be a string`;
  }
  const auth = entry.auth as string | undefined;
  if (auth !== undefined && auth !== '') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(auth) || auth.length % 4 === 1)
      return '"auth" must be base64 of "username:password"';
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return '"auth" must be base64 of "username:password" (no ":" in it)';
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  const username = entry.username as string | undefined;
  const password = entry.password as string | undefined;
  if (!username && !password) return undefined;
  if (!username || password === undefined) return 'needs "auth", or both "username" and "password"';
  return { username, password };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
