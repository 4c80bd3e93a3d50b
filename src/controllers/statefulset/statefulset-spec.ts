/** A pod template as a workload carries it. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { volumes?: Array<{ name: string }> };
}

/** The fields of an apps/v1 StatefulSet this controller reads. */
export interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  selector?: { matchLabels?: Record<string, string> };
  template: PodTemplate;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
  volumeClaimTemplates?: Array<{
    metadata: { name: string; labels?: Record<string, string> };
    spec: Record<string, unknown>;
  }>;
  persistentVolumeClaimRetentionPolicy?: {
    whenDeleted?: 'Retain' | 'Delete';
    whenScaled?: 'Retain' | 'Delete';
  };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}
