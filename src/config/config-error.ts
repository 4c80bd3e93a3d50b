import { BerthError } from '../util/berth-error.js';

/** Berth's own configuration is invalid (file, flag or environment). The CLI exits 2 on it. */
export class ConfigError extends BerthError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('InvalidConfig', message, data);
  }
}
