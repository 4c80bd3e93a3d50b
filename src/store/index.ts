export { connectRedis, redactUrl } from './redis-client.js';
