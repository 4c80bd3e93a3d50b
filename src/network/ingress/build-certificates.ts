import { createSecureContext, type SecureContext } from 'node:tls';
import type { Stored } from '../../store/index.js';
import { oldestFirst } from './build-route-table.js';
import { CertificateSet } from './certificate-set.js';
import type { IngressProblem } from './ingress-problem.js';
import { objectName } from './object-name.js';

/** The objects certificates are built from: every Ingress and the Secrets their `tls` names. */
export interface CertificatesInput {
  ingresses: readonly Stored<'Ingress'>[];
  secrets: readonly Stored<'Secret'>[];
}

/**
 * Builds the certificate set from every Ingress's `spec.tls`: each entry's Secret (same
 * namespace, type `kubernetes.io/tls`, `tls.crt` and `tls.key` in `data` as base64 or in
 * `stringData`) serves its `hosts`; an entry without hosts gives the fallback certificate.
 * Oldest Ingress first: a host keeps the first certificate given for it. A missing or unusable
 * Secret is a problem (its entry is skipped); problems never contain key or certificate bytes.
 */
export function buildCertificates(input: CertificatesInput): {
  certificates: CertificateSet;
  problems: IngressProblem[];
} {
  const secrets = new Map(input.secrets.map((s) => [objectName(s), s]));
  const contexts = new Map<string, SecureContext | Error>();
  const exact = new Map<string, SecureContext>();
  const wildcards = new Map<string, SecureContext>();
  let fallback: SecureContext | undefined;
  const problems: IngressProblem[] = [];

  for (const ingress of [...input.ingresses].sort(oldestFirst)) {
    const name = objectName(ingress);
    (ingress.spec?.tls ?? []).forEach((entry, i) => {
      const where = `spec.tls[${i}]`;
      if (!entry.secretName) return;
      const secretId = `${ingress.metadata.namespace ?? 'default'}/${entry.secretName}`;
      const secret = secrets.get(secretId);
      if (!secret) {
        problems.push({
          ingress: name,
          reason: 'SecretNotFound',
          message: `${where}.secretName: Secret ${secretId} not found`,
        });
        return;
      }
      let context = contexts.get(secretId);
      if (!context) {
        context = secureContext(secret);
        contexts.set(secretId, context);
      }
      if (context instanceof Error) {
        problems.push({
          ingress: name,
          reason: 'InvalidTLSSecret',
          message: `${where}.secretName: Secret ${secretId}: ${context.message}`,
        });
        return;
      }
      const hosts = (entry.hosts ?? []).map((h) => h.toLowerCase());
      if (hosts.length === 0 && !fallback) fallback = context;
      for (const host of hosts) {
        const map = host.startsWith('*.') ? wildcards : exact;
        if (!map.has(host)) map.set(host, context);
      }
    });
  }
  return { certificates: new CertificateSet(exact, wildcards, fallback), problems };
}

/** A TLS context from a Secret, or an Error whose message names only fields and codes. */
function secureContext(secret: Stored<'Secret'>): SecureContext | Error {
  if (secret.type !== undefined && secret.type !== 'kubernetes.io/tls')
    return new Error(`expected type kubernetes.io/tls, found ${JSON.stringify(secret.type)}`);
  const cert = field(secret, 'tls.crt');
  const key = field(secret, 'tls.key');
  const missing = [cert ? '' : 'tls.crt', key ? '' : 'tls.key'].filter((f) => f !== '');
  if (!cert || !key) return new Error(`missing ${missing.join(' and ')}`);
  try {
    return createSecureContext({ cert, key });
  } catch (err) {
    // OpenSSL's code names the failure (bad PEM, key not matching) without the bytes.
    const code = (err as { code?: string }).code ?? 'unknown error';
    return new Error(`tls.crt/tls.key not usable (${code})`);
  }
}

function field(secret: Stored<'Secret'>, name: string): Buffer | undefined {
  const plain = secret.stringData?.[name];
  if (plain !== undefined) return Buffer.from(plain, 'utf8');
  const encoded = secret.data?.[name];
  return encoded !== undefined ? Buffer.from(encoded, 'base64') : undefined;
}
