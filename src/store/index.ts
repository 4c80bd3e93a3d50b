export { connectRedis, redactUrl } from './redis-client.js';
export { WebhookDeliveries, type WebhookDeliveriesOptions } from './webhook-deliveries.js';
