export { BerthDaemon, type DaemonOptions, type GoodRevision } from './berth-daemon.js';
