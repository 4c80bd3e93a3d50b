export { connectDocker } from './docker-client.js';
export { instanceFilter, LABELS } from './labels.js';
