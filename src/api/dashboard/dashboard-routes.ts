import type { FastifyInstance } from 'fastify';
import type { StateReader } from '../state-reader.js';

/** The dashboard at `/`. */
export function registerDashboard(_app: FastifyInstance, _state: StateReader): void {}
