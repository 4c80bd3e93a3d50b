import type { Result } from '../queue/index.js';
import { controllerOf, ofKind, type Stored } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import {
  type Controller,
  type ControllerContext,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import {
  type DaemonSetStatus,
  type DaemonSetUpdateStrategy,
  daemonSetStatus,
  daemonSetStep,
} from './daemonset/index.js';
import { createPodFromTemplate, generateName } from './owned.js';
import { availableAfterMs, podAvailable, podFacts } from './pod-facts.js';
import { podTemplateHash, scaledValue } from './rollout/index.js';
import { CONTROLLER_REVISION_HASH } from './statefulset-controller.js';

/** The label with the DaemonSet generation a pod was made from. */
export const POD_TEMPLATE_GENERATION = 'pod-template-generation';

/** How long to wait after deleting a pod before making its replacement (its containers stop). */
const AFTER_DELETE_MS = 1000;

/**
 * DaemonSet: on the one host Berth runs, exactly one pod `<name>-<random>` of the template,
 * labelled with its revision (`controller-revision-hash`); updated by RollingUpdate (maxSurge
 * starts the new pod first; otherwise the old one stops first) or OnDelete; status as Kubernetes
 * writes it for a cluster of one node.
 */
export const daemonSetController: Controller<'DaemonSet'> = {
  kind: 'DaemonSet',
  queue: 'reconcile',
  reconcile: reconcileDaemonSet,
};

async function reconcileDaemonSet(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  ds: Stored<'DaemonSet'> | undefined,
): Promise<Result | undefined> {
  if (!ds) return;
  const spec = ds.spec;
  // The template carries berth.dev/config-hash (added when the revision was stored).
  const template = spec.template;
  const revision = podTemplateHash(template);
  const rolling = spec.updateStrategy?.rollingUpdate ?? {};
  const strategy: DaemonSetUpdateStrategy =
    spec.updateStrategy?.type === 'OnDelete'
      ? { type: 'OnDelete' }
      : {
          type: 'RollingUpdate',
          maxSurge: scaledValue(rolling.maxSurge ?? 0, 1, true),
          maxUnavailable: Math.max(1, scaledValue(rolling.maxUnavailable ?? 1, 1, true)),
        };
  const minReady = spec.minReadySeconds ?? 0;
  const now = deps.now().getTime();
  const facts = (pods: readonly Stored<'Pod'>[]) =>
    pods.map((p) => {
      const f = podFacts(p);
      return {
        ...f,
        revision: p.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? '',
        available: podAvailable(f, minReady, now),
      };
    });

  let pods = ofKind(await deps.store.children(key), 'Pod');
  const step = daemonSetStep({ revision, strategy, pods: facts(pods) });
  for (const podName of step.delete) {
    const podKey = objectKey('Pod', namespace, podName);
    await deps.store.delete(podKey);
    await deps.enqueue(podKey);
    await recordEvent(deps, ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
  }
  pods = pods.filter((p) => !step.delete.includes(p.metadata.name));
  // Without surge, an old pod is deleted in one step and its replacement made in the next.
  if (step.create) {
    const pod = await createPodFromTemplate(deps, ds, {
      name: generateName(name),
      namespace,
      template,
      labels: {
        [CONTROLLER_REVISION_HASH]: revision,
        [POD_TEMPLATE_GENERATION]: String(ds.metadata.generation),
      },
    });
    pods.push(pod);
    await recordEvent(deps, ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }

  const status: DaemonSetStatus = daemonSetStatus(
    ds.metadata.generation,
    facts(pods).map((p) => ({ ...p, updated: p.revision === revision })),
  );
  if (JSON.stringify(status) !== JSON.stringify(ds.status)) {
    await deps.store.putStatus(key, status);
    const owner = controllerOf(ds);
    if (owner) await deps.enqueue(owner);
  }
  if (step.delete.length > 0) return { requeueAfterMs: AFTER_DELETE_MS };
  const wait = availableAfterMs(facts(pods), minReady, now);
  return wait === undefined ? {} : { requeueAfterMs: wait + 50 };
}
