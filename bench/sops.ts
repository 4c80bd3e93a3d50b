// Benchmark: decrypt a revision of 100 SOPS-encrypted Secrets (one file each, its own data
// key, encrypted_regex ^(data|stringData)$, three values each), warm (data keys already
// unwrapped: a new revision of the same files), against parsing the same plaintext files with
// the yaml library (the baseline, measured in the same run). Target: < 100 ms warm (median of
// the rounds; the best is printed too, with the host's load average, the machine being shared).
//   npm run bench:sops
import { loadavg } from 'node:os';
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
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();

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

/** CPU time (user + system, ms) of the last {@link timed} call: what a loaded host does not inflate. */
let lastCpu = 0;
async function timed(fn: () => unknown): Promise<number> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  lastCpu = (used.user + used.system) / 1000;
  return elapsed;
}

const decryptAll = async () => {
  const r = await decryptRevision(files, keyring);
  if (r.problems.length > 0 || r.decrypted.length !== SECRETS)
    throw new Error(`benchmark revision does not decrypt: ${JSON.stringify(r.problems[0])}`);
};
const cold = await timed(decryptAll);
const warm: number[] = [];
const warmCpu: number[] = [];
const parse: number[] = [];
const validatePlain: number[] = [];
const validateEncrypted: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  parse.push(
    await timed(() => {
      for (const f of plain)
        for (const d of parseAllDocuments(Buffer.from(f.content).toString())) d.toJS();
    }),
  );
  warm.push(await timed(decryptAll));
  warmCpu.push(lastCpu);
  validatePlain.push(await timed(() => validateRevision(plain)));
  validateEncrypted.push(
    await timed(async () => {
      const r = await decryptAndValidate(files, {}, keyring);
      if (!r.valid) throw new Error('benchmark revision is not valid');
    }),
  );
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const show = (xs: number[]) =>
  `median ${median(xs).toFixed(1)} ms (best ${Math.min(...xs).toFixed(1)})`;
console.log(`SOPS files: ${SECRETS} Secrets, ${SECRETS * 3} encrypted values, one data key each`);
console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
console.log(`yaml parse of the plaintext files (baseline): ${show(parse)}`);
console.log(
  `decrypt, warm (${ROUNDS} rounds; data keys unwrapped, AES-GCM + MAC each time): ${show(warm)}`,
);
console.log(`decrypt, warm, CPU time of the process: ${show(warmCpu)}`);
console.log(`decrypt, cold (first revision: ${SECRETS} age unwraps): ${cold.toFixed(1)} ms`);
console.log(
  `validate plaintext: ${show(validatePlain)}; decrypt + validate: ${show(validateEncrypted)}`,
);
console.log(
  `ratio warm decrypt/parse (medians): ${(median(warm) / median(parse)).toFixed(2)}x; target < 100 ms warm (median): ${median(warm) < 100 ? 'met' : 'NOT met'}`,
);
