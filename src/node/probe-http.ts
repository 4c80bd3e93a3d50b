import http from 'node:http';
import type { HTTPGetAction } from './pod-spec.js';
import type { ActionResult } from './probe-exec.js';

/**
 * An httpGet probe or hook from the host to `host` (default: the pod IP): success on a status
 * in 200..399, as the kubelet. `port` is already resolved to a number. Redirects are not
 * followed (a 3xx is a success).
 */
export function httpGetAction(
  action: HTTPGetAction,
  podIP: string,
  port: number,
  timeoutMs: number,
): Promise<ActionResult> {
  const host = action.host ?? podIP;
  const headers: Record<string, string> = { 'User-Agent': 'berth-probe/0.1', Accept: '*/*' };
  for (const h of action.httpHeaders ?? []) headers[h.name] = h.value;
  const url = `http://${host}:${port}${action.path ?? '/'}`;
  return new Promise((resolve) => {
    const req = http.get(url, { headers, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(
        code >= 200 && code < 400
          ? { success: true, message: `HTTP ${code}` }
          : { success: false, message: `HTTP probe failed with statuscode: ${code}` },
      );
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ success: false, message: `Get "${url}": timeout after ${timeoutMs / 1000}s` });
    });
    req.on('error', (err) => resolve({ success: false, message: `Get "${url}": ${err.message}` }));
  });
}
