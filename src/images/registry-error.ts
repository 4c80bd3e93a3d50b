import { BerthError } from '../util/berth-error.js';

/**
 * A registry refused or could not answer a request. `code`: `RegistryUnauthorized` (401/403),
 * `RegistryNotFound` (404), `RegistryUnreachable` (network, TLS), `RegistryError` (anything
 * else). `data` names the registry and repository, never a credential.
 */
export class RegistryError extends BerthError {}
