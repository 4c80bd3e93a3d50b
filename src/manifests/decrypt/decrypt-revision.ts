import type { SourceFile } from '../../source/index.js';
import type { Problem } from '../problem.js';
import type { AgeKeyring } from './age-keyring.js';
import { SopsError } from './sops-error.js';
import { decryptSopsFile } from './sops-file.js';

/** What decrypting a revision's files gave. */
export interface DecryptRevisionResult {
  /** The files, SOPS files replaced by their decrypted content; files that failed left out. */
  files: SourceFile[];
  /** One error per file that could not be decrypted and verified. */
  problems: Problem[];
  /** Paths of the files decrypted. */
  decrypted: string[];
}

const STRAY_ENC = /ENC\[AES256_GCM,data:[^\]\s]*,iv:/;
/** Files an `ENC[…]` value without sops metadata is refused in: manifests and dotenv sources. */
const MANIFEST = /\.(ya?ml|json|env)$/i;

/**
 * Decrypts every SOPS-encrypted file of a revision before it is loaded (manifests, and the
 * files Kustomize generators read), so validation, plans and the apply see the plaintext.
 * A file that fails (no key, a value or the MAC does not verify) becomes a positioned error
 * and is left out: the revision is then invalid and nothing of it is applied. A manifest or
 * `.env` file with an `ENC[…]` value but no sops metadata is an error too (the metadata was
 * removed).
 * Files above `maxFileBytes` are left for the loader to refuse.
 */
export async function decryptRevision(
  files: readonly SourceFile[],
  keyring: AgeKeyring,
  options: { maxFileBytes?: number } = {},
): Promise<DecryptRevisionResult> {
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const out: SourceFile[] = [];
  const problems: Problem[] = [];
  const decrypted: string[] = [];
  for (const file of files) {
    if (file.mode === 'symlink' || file.content.byteLength > maxBytes) {
      out.push(file);
      continue;
    }
    try {
      const result = await decryptSopsFile(file.path, file.content, keyring);
      if (result) {
        out.push({ ...file, content: result.content });
        decrypted.push(file.path);
        continue;
      }
    } catch (err) {
      if (!(err instanceof SopsError)) throw err;
      problems.push(problem(file.path, err.line, err.column, `SOPS: ${err.message}`));
      continue;
    }
    if (MANIFEST.test(file.path)) {
      const text = Buffer.from(file.content).toString('utf8');
      const m = STRAY_ENC.exec(text);
      if (m) {
        const before = text.slice(0, m.index).split('\n');
        problems.push(
          problem(
            file.path,
            before.length,
            (before.at(-1)?.length ?? 0) + 1,
            'SOPS: this value is SOPS-encrypted but the file has no sops metadata (a top-level sops block with mac and version): it cannot be decrypted or verified',
          ),
        );
        continue;
      }
    }
    out.push(file);
  }
  return { files: out, problems, decrypted };
}

function problem(file: string, line: number, column: number, message: string): Problem {
  return {
    file,
    line,
    column,
    severity: 'error',
    kind: '',
    namespace: '',
    name: '',
    path: '',
    message,
    code: 'decrypt',
  };
}
