import type { SopsMetadata } from './sops-metadata.js';
import type { At } from './sops-tree.js';
import type { SopsValue } from './sops-value.js';

/** A decrypted tree, typed: what tests compare with sops's output. */
export type TypedTree = SopsValue | null | TypedTree[] | { [key: string]: TypedTree };

/** What a store gives once a file is decrypted and its MAC verified. */
export interface DecryptedTree {
  /** The file with every value in clear (same line layout for YAML and JSON), metadata removed. */
  content: Uint8Array;
  /** The verified MAC (upper-case hex SHA-512). */
  mac: string;
  leaves: { encrypted: number; plain: number };
  /** The encrypted comments that decrypted, with the additional data that opened them. */
  comments: Array<{ aad: string; plaintext: string }>;
  /** The decrypted documents, typed. */
  documents: TypedTree[];
}

/** A SOPS file parsed by its store: its metadata, and how to decrypt it with the data key. */
export interface OpenedSopsFile {
  metadata: SopsMetadata;
  /** Where the metadata is (for key and MAC errors). */
  metadataAt: At;
  /** Decrypts every value, verifies the MAC; throws SopsError. */
  decrypt(key: Buffer): DecryptedTree;
}
