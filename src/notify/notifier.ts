import { createHmac } from 'node:crypto';
import { type NotificationTarget, readSecret } from '../config/index.js';
import type { StoredEvent } from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';

/** Options of {@link Notifier}. */
export interface NotifierOptions {
  targets: readonly NotificationTarget[];
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Tries per event and target. Default 3. */
  attempts?: number;
  /** Delay before the second try, doubled after each. Default 1 s. */
  retryBaseMs?: number;
  /** How long one POST may take. Default 5 s. */
  timeoutMs?: number;
}

/**
 * POSTs Berth's events to configured URLs as JSON — a Kubernetes-shaped `Event` — filtered by
 * reason and type, signed with HMAC-SHA256 (`X-Berth-Signature: sha256=<hex>`) when a target
 * has a secret. Delivery runs in the background with bounded retries: a slow or failing
 * receiver is logged and never holds Berth up.
 */
export class Notifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: NotifierOptions) {}

  /** Sends `event` to every target that wants it; returns at once. */
  notify(event: StoredEvent): void {
    for (const target of this.options.targets) {
      if (target.reasons.length > 0 && !target.reasons.includes(event.reason)) continue;
      if (!target.types.includes(event.type)) continue;
      const delivery = this.deliver(target, event).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /** Waits for the deliveries under way (tests, shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async deliver(target: NotificationTarget, event: StoredEvent): Promise<void> {
    const attempts = this.options.attempts ?? 3;
    const body = JSON.stringify(eventObject(event));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'berth',
      'x-berth-event': event.reason,
    };
    try {
      if (target.secret) {
        const secret = readSecret(target.secret, this.options.env ?? process.env);
        headers['x-berth-signature'] =
          `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      }
    } catch (err) {
      this.options.logger?.error(
        { url: target.url, err: errorMessage(err) },
        'notification not sent: its secret cannot be read',
      );
      return;
    }
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let problem: string;
      try {
        const response = await fetch(target.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
      } catch (err) {
        problem = errorMessage(err);
      }
      const last = attempt === attempts;
      this.options.logger?.warn(
        { url: target.url, reason: event.reason, attempt, problem },
        last ? 'notification failed; giving up' : 'notification failed; retrying',
      );
      if (!last)
        await new Promise((r) =>
          setTimeout(r, (this.options.retryBaseMs ?? 1000) * 2 ** (attempt - 1)),
        );
    }
  }
}

/** An event as a Kubernetes `Event` object (core/v1 shape, Berth's source and revision as annotations). */
export function eventObject(e: StoredEvent): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${e.object.name}.${e.id}`,
      ...(e.object.namespace ? { namespace: e.object.namespace } : {}),
      annotations: {
        ...(e.source ? { 'berth.dev/source': e.source } : {}),
        ...(e.revision ? { 'berth.dev/revision': e.revision } : {}),
      },
    },
    type: e.type,
    reason: e.reason,
    message: e.message,
    involvedObject: {
      kind: e.object.kind,
      name: e.object.name,
      ...(e.object.namespace ? { namespace: e.object.namespace } : {}),
    },
    eventTime: e.time,
    reportingComponent: 'berth',
  };
}
