import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Stored } from '../../src/store/index.js';
import { storedMetadata } from './stored-objects.js';

/** A PEM certificate and its key. */
export interface SelfSigned {
  cert: string;
  key: string;
}

/**
 * A throwaway self-signed certificate (EC P-256, one day) for `hosts`, made with the `openssl`
 * CLI: the first host is the subject, all are subjectAltNames. For TLS tests only.
 */
export function selfSigned(hosts: string[]): SelfSigned {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cert-'));
  try {
    const keyFile = path.join(dir, 'tls.key');
    const certFile = path.join(dir, 'tls.crt');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${hosts[0]}`,
        '-addext',
        `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}`,
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'pipe' },
    );
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A stored `kubernetes.io/tls` Secret holding `pair` (base64 `data`, as Git manifests have it). */
export function tlsSecret(namespace: string, name: string, pair: SelfSigned): Stored<'Secret'> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: storedMetadata({ name, namespace }),
    type: 'kubernetes.io/tls',
    data: {
      'tls.crt': Buffer.from(pair.cert).toString('base64'),
      'tls.key': Buffer.from(pair.key).toString('base64'),
    },
  };
}
