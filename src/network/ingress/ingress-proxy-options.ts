import type { BerthConfig } from '../../config/index.js';
import type { Logger } from '../../util/logger.js';
import { IngressError } from './ingress-error.js';

/** Options of the Ingress proxy (`IngressProxy.start`). */
export interface IngressProxyOptions {
  /** Address both ports listen on. Default `127.0.0.1` (BerthConfig `network.hostAddress`). */
  host?: string;
  /** HTTP port. Default 8080 (`network.ingressPort`); 0 takes a free port (see `addresses`). */
  port?: number;
  /** HTTPS port (SNI certificates from the Ingresses' TLS Secrets). Default: none, no HTTPS. */
  tlsPort?: number;
  /** Milliseconds to wait for a backend's response before answering 502. Default 60,000. */
  backendTimeoutMs?: number;
  /** Where backend errors are logged (warn), without headers or bodies. Default: not logged. */
  logger?: Logger;
}

/** {@link IngressProxyOptions} with defaults applied and values checked. */
export interface CompiledIngressProxyOptions {
  host: string;
  port: number;
  tlsPort?: number;
  backendTimeoutMs: number;
  logger?: Logger;
}

/** Applies the defaults of {@link IngressProxyOptions}; throws `InvalidIngressProxyOptions`. */
export function compileIngressProxyOptions(
  options: IngressProxyOptions = {},
): CompiledIngressProxyOptions {
  const port = checkPort('port', options.port ?? 8080);
  const tlsPort = options.tlsPort === undefined ? undefined : checkPort('tlsPort', options.tlsPort);
  const backendTimeoutMs = options.backendTimeoutMs ?? 60_000;
  if (!Number.isInteger(backendTimeoutMs) || backendTimeoutMs <= 0)
    bad('backendTimeoutMs', 'a whole number of milliseconds > 0', backendTimeoutMs);
  const host = options.host ?? '127.0.0.1';
  if (host === '') bad('host', 'an address', host);
  return {
    host,
    port,
    ...(tlsPort !== undefined ? { tlsPort } : {}),
    backendTimeoutMs,
    ...(options.logger ? { logger: options.logger } : {}),
  };
}

function checkPort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    bad(field, 'a port 0-65535 (0: any free port)', value);
  return value;
}

function bad(field: string, expected: string, found: unknown): never {
  throw new IngressError(
    'InvalidIngressProxyOptions',
    `ingress proxy option ${field}: expected ${expected}, found ${JSON.stringify(found)}`,
    { field, expected, found },
  );
}

/** The proxy's options from Berth's configuration: `network.hostAddress`, `ingressPort`, `ingressTLSPort`. */
export function ingressProxyOptionsFromConfig(
  config: Pick<BerthConfig, 'network'>,
  logger?: Logger,
): IngressProxyOptions {
  const { hostAddress, ingressPort, ingressTLSPort } = config.network;
  return {
    host: hostAddress,
    port: ingressPort,
    ...(ingressTLSPort !== undefined ? { tlsPort: ingressTLSPort } : {}),
    ...(logger ? { logger } : {}),
  };
}
