export { type ApiServer, type ApiServerOptions, startApiServer } from './api-server.js';
export {
  isPullRequestKind,
  type PullRequestEvent,
  parsePullRequest,
} from './pull-request-event.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { type SignatureCheck, verifySignature } from './verify-signature.js';
export { WebhookError } from './webhook-error.js';
export { parseWebhookEvent, type WebhookEvent } from './webhook-event.js';
export {
  WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookResponse,
  type WebhookTarget,
} from './webhook-handler.js';
export { detectProvider, type WebhookProvider } from './webhook-provider.js';
