import type { X509Certificate } from 'node:crypto';
import { connect, createServer, type SecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { buildCertificates } from '../../../../src/network/ingress/index.js';
import type { Stored } from '../../../../src/store/index.js';
import { selfSigned, tlsSecret } from '../../../harness/self-signed.js';
import { storedMetadata } from '../../../harness/stored-objects.js';

const shop = selfSigned(['shop.test']);
const wild = selfSigned(['*.apps.test']);
const other = selfSigned(['fallback.test']);

function ingress(
  name: string,
  created: string,
  spec: Stored<'Ingress'>['spec'],
): Stored<'Ingress'> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: storedMetadata({ name, namespace: 'web', creationTimestamp: created }),
    spec,
  };
}

/** The subject CN a client sees when it connects with `servername` to a server using `lookup`. */
async function servedCN(
  lookup: (name: string) => SecureContext | undefined,
  servername: string,
): Promise<string | undefined> {
  const server = createServer({
    SNICallback: (name, done) => {
      const context = lookup(name);
      if (context) done(null, context);
      else done(new Error('none'));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    return await new Promise((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', servername, rejectUnauthorized: false });
      socket.on('secureConnect', () => {
        const raw = socket.getPeerX509Certificate() as X509Certificate;
        socket.end();
        resolve(raw.subject.replace(/^CN=/, ''));
      });
      socket.on('error', () => resolve(undefined));
    });
  } finally {
    server.close();
  }
}

describe('buildCertificates', () => {
  const secrets: Stored<'Secret'>[] = [
    tlsSecret('web', 'shop-tls', shop),
    tlsSecret('web', 'wild-tls', wild),
    tlsSecret('web', 'other-tls', other),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: storedMetadata({ name: 'opaque', namespace: 'web' }),
      type: 'Opaque',
      data: {},
    },
    {
      ...tlsSecret('web', 'broken', shop),
      data: { 'tls.crt': 'bm90IGEgY2VydA==', 'tls.key': 'eA==' },
    },
    { ...tlsSecret('web', 'half', shop), data: { 'tls.crt': 'eA==' } },
  ];
  const { certificates, problems } = buildCertificates({
    secrets,
    ingresses: [
      ingress('second', '2024-02-01T00:00:00Z', {
        tls: [{ hosts: ['shop.test'], secretName: 'other-tls' }, { secretName: 'other-tls' }],
      }),
      ingress('first', '2024-01-01T00:00:00Z', {
        tls: [
          { hosts: ['Shop.test'], secretName: 'shop-tls' },
          { hosts: ['*.apps.test'], secretName: 'wild-tls' },
          { hosts: ['x.test'], secretName: 'missing' },
          { hosts: ['y.test'], secretName: 'opaque' },
          { hosts: ['z.test'], secretName: 'broken' },
          { hosts: ['h.test'], secretName: 'half' },
        ],
      }),
    ],
  });
  const lookup = (name: string) => certificates.lookup(name);

  it('serves each host the certificate of the oldest Ingress naming it', async () => {
    expect(certificates.hosts()).toEqual(['*.apps.test', 'shop.test', '*']);
    expect(await servedCN(lookup, 'shop.test')).toBe('shop.test');
    expect(await servedCN(lookup, 'SHOP.test')).toBe('shop.test');
  });

  it('serves a wildcard certificate for one label only, else the fallback', async () => {
    expect(await servedCN(lookup, 'a.apps.test')).toBe('*.apps.test');
    expect(await servedCN(lookup, 'a.b.apps.test')).toBe('fallback.test');
    expect(await servedCN(lookup, 'unknown.test')).toBe('fallback.test');
  });

  it('refuses the handshake when there is no certificate at all', async () => {
    const none = buildCertificates({ secrets, ingresses: [] }).certificates;
    expect(await servedCN((n) => none.lookup(n), 'shop.test')).toBeUndefined();
  });

  it('reports missing and unusable Secrets without their content', () => {
    expect(problems.map((p) => [p.ingress, p.reason])).toEqual([
      ['web/first', 'SecretNotFound'],
      ['web/first', 'InvalidTLSSecret'],
      ['web/first', 'InvalidTLSSecret'],
      ['web/first', 'InvalidTLSSecret'],
    ]);
    const text = JSON.stringify(problems);
    expect(text).toContain('Opaque');
    expect(text).toContain('missing tls.key');
    for (const secret of ['bm90IGEgY2VydA==', 'not a cert', shop.key.split('\n')[1] as string])
      expect(text).not.toContain(secret);
  });
});
