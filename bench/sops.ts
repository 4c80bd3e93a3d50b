// Benchmark: decrypt a revision of 100 SOPS-encrypted Secrets (one file each, its own data
// key, encrypted_regex ^(data|stringData)$, three values each), warm (data keys already
// unwrapped: a new revision of the same files), against parsing the same plaintext files with
// the yaml library (the baseline, measured in the same run). Target: < 100 ms warm.
//   npm run bench:sops
import { performance } from 'node:perf_hooks';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parseAllDocuments } from 'yaml';
import {
  AgeKeyring,
  decryptAndValidate,
  decryptRevision,
  validateRevision,
} from '../src/manifests/index.js';
import type { SourceFile } from '../src/source/index.js';
import { sopsEncryptYaml } from '../test/harness/sops-encrypt.js';

const SECRETS = 100;
const ROUNDS = 15;

const identity = await generateX25519Identity();
const recipient = await identityToRecipient(identity);
const keyring = await AgeKeyring.create([{ location: 'bench', text: identity }]);
const plain: SourceFile[] = [];
const files: SourceFile[] = [];
for (let i = 0; i < SECRETS; i++) {
  const text = `apiVersion: v1
kind: Secret
metadata:
  name: app-${i}
  namespace: default
  labels: {app: app-${i}, tier: backend}
type: Opaque
stringData:
  username: app-${i}
  password: ${'p'.repeat(24)}-${i}
  url: postgres://app-${i}@db.default.svc.cluster.local:5432/app
`;
  const path = `secrets/app-${i}.yaml`;
  plain.push({ path, content: Buffer.from(text), mode: 'file' });
  const enc = await sopsEncryptYaml(text, {
    recipients: [recipient],
    rule: { encrypted_regex: '^(data|stringData)$' },
  });
  files.push({ path, content: Buffer.from(enc), mode: 'file' });
}

async function timed(fn: () => unknown): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const decryptAll = async () => {
  const r = await decryptRevision(files, keyring);
  if (r.problems.length > 0 || r.decrypted.length !== SECRETS)
    throw new Error(`benchmark revision does not decrypt: ${JSON.stringify(r.problems[0])}`);
};
const cold = await timed(decryptAll);
let warm = Number.POSITIVE_INFINITY;
let parse = Number.POSITIVE_INFINITY;
let validatePlain = Number.POSITIVE_INFINITY;
let validateEncrypted = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++) {
  parse = Math.min(
    parse,
    await timed(() => {
      for (const f of plain)
        for (const d of parseAllDocuments(Buffer.from(f.content).toString())) d.toJS();
    }),
  );
  warm = Math.min(warm, await timed(decryptAll));
  validatePlain = Math.min(validatePlain, await timed(() => validateRevision(plain)));
  validateEncrypted = Math.min(
    validateEncrypted,
    await timed(async () => {
      const r = await decryptAndValidate(files, {}, keyring);
      if (!r.valid) throw new Error('benchmark revision is not valid');
    }),
  );
}
console.log(`SOPS files: ${SECRETS} Secrets, ${SECRETS * 3} encrypted values, one data key each`);
console.log(`yaml parse of the plaintext files (baseline): ${parse.toFixed(1)} ms`);
console.log(
  `decrypt, warm (best of ${ROUNDS}; data keys unwrapped, AES-GCM + MAC each time): ${warm.toFixed(1)} ms`,
);
console.log(`decrypt, cold (first revision: ${SECRETS} age unwraps): ${cold.toFixed(1)} ms`);
console.log(
  `validate plaintext: ${validatePlain.toFixed(1)} ms; decrypt + validate: ${validateEncrypted.toFixed(1)} ms`,
);
console.log(
  `ratio warm decrypt/parse: ${(warm / parse).toFixed(2)}x; target < 100 ms warm: ${warm < 100 ? 'met' : 'NOT met'}`,
);
