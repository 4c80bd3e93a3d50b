export { MAX_REF_LENGTH, refNameProblem } from '../util/git-ref-name.js';
export { ApiError } from './api-error.js';
export { type ApiServer, type ApiServerOptions, startApiServer } from './api-server.js';
export { readApiToken, resolveApiToken, TOKEN_FILE } from './api-token.js';
export { type AnonymousRead, isLoopback } from './client-access.js';
export type { OpenApiDocument } from './openapi.js';
export {
  isPullRequestKind,
  type PullRequestEvent,
  parsePullRequest,
} from './pull-request-event.js';
export { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
export { type ApiActions, type SourceActionsOptions, sourceActions } from './source-actions.js';
export { StateReader, type StateReaderOptions } from './state-reader.js';
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
