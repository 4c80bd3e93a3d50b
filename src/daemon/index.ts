export { BerthDaemon, type DaemonOptions, type GoodRevision } from './berth-daemon.js';
export { type BerthProcess, type BerthProcessOptions, startBerth } from './berth-process.js';
export { ControllerWorkers, type ControllerWorkersOptions } from './controller-workers.js';
export { NodeRole, type NodeRoleOptions } from './node-role.js';
