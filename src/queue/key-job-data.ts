/** The data of every job: the key, nothing else (reconciles are level-triggered). */
export interface KeyJobData {
  key: string;
}
