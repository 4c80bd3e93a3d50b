// SOPS decryption (age) of a revision's files before validation: the data key unwrapped with
// age, every value opened with AES-256-GCM and its key path, and the MAC always verified.

export { AgeKeyring, type IdentitySource } from './age-keyring.js';
export { decryptAndValidate } from './decrypt-and-validate.js';
export { type DecryptRevisionResult, decryptRevision } from './decrypt-revision.js';
export type { TypedTree } from './opened-file.js';
export { SopsError, type SopsFailure } from './sops-error.js';
export { type DecryptedFile, decryptSopsFile } from './sops-file.js';
export { formatOf, type SopsFormat } from './sops-format.js';
export type { SopsValue } from './sops-value.js';
export { type DecryptionConfig, keyringFor, sopsEnvironmentIdentities } from './source-keyring.js';
