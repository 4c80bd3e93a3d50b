import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../../src/config/index.js';
import {
  compileIngressProxyOptions,
  IngressError,
  ingressProxyOptionsFromConfig,
} from '../../../src/network/ingress/index.js';

describe('Ingress proxy configuration', () => {
  it('listens on 127.0.0.1:8080 without HTTPS by default', () => {
    const options = ingressProxyOptionsFromConfig(compileConfig({ env: {} }));
    expect(compileIngressProxyOptions(options)).toEqual({
      host: '127.0.0.1',
      port: 8080,
      backendTimeoutMs: 60_000,
    });
  });

  it('takes network.hostAddress, ingressPort and ingressTLSPort from berth.yaml', () => {
    const config = compileConfig({
      env: {},
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        network: { hostAddress: '0.0.0.0', ingressPort: 80, ingressTLSPort: 443 },
      },
    });
    expect(ingressProxyOptionsFromConfig(config)).toEqual({
      host: '0.0.0.0',
      port: 80,
      tlsPort: 443,
    });
  });

  it('rejects a bad port with the field, what was expected and what was found', () => {
    let error: unknown;
    try {
      compileIngressProxyOptions({ port: 70_000 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(IngressError);
    expect((error as IngressError).toJSON()).toMatchObject({
      code: 'InvalidIngressProxyOptions',
      data: { field: 'port', found: 70_000 },
    });
  });
});
