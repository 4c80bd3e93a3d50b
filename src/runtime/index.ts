export { type ContainerLogsOptions, copyContainerLogs, type LogSink } from './container-logs.js';
export { connectDocker } from './docker-client.js';
export { instanceFilter, LABELS } from './labels.js';
