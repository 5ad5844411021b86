// Pushing host images into a lab's registry, and warming them on the nodes.
import type { Engine } from '../engine/engine.js';
import { LabError } from '../errors.js';
import type { RunningLab } from '../lab/running-lab.js';
import { type LabImageNames, labImageNames } from './reference.js';

export interface PushResult extends LabImageNames {
  image: string;
  layersPushed: number;
  layersPresent: number;
}

/** A layer the registry had already: under this name, or under another it mounts it from ("Mounted from example/echo"). */
export function layerWasPresent(status: string): boolean {
  return status === 'Layer already exists' || status.startsWith('Mounted from');
}

export async function pushImage(engine: Engine, lab: RunningLab, image: string, report: (status: string) => void): Promise<PushResult> {
  if (!(await engine.hasImage(image))) {
    // An exercise names the course's Docker Hub images; a student should not have to pull them first.
    report(`pulling ${image} onto this host`);
    try {
      await engine.pullImage(image);
    } catch (err) {
      const why = (err as Error).message.split('\n')[0];
      throw new LabError(`image ${image} is not on this host's engine and could not be pulled (${why})`, {
        fix: `docker pull ${image} or docker build -t ${image} .`,
      });
    }
  }
  const names = labImageNames(image, lab.registryHost);
  await engine.tagImage(image, names.host);
  const layers = new Map<string, string>();
  await engine.pushImage(names.host, (layer, status) => {
    layers.set(layer, status);
    const done = [...layers.values()].filter((s) => s === 'Pushed' || layerWasPresent(s)).length;
    report(`${names.host}: ${done}/${layers.size} layers (${layer}: ${status})`);
  });
  const statuses = [...layers.values()];
  return {
    image,
    ...names,
    layersPushed: statuses.filter((s) => s === 'Pushed').length,
    layersPresent: statuses.filter(layerWasPresent).length,
  };
}

/** Pulls the image on every running node at once, so the first service start does not wait for it. */
export async function pullOnNodes(engine: Engine, lab: RunningLab, clusterRef: string): Promise<void> {
  const nodes = [...lab.inventory.nodes.values()].filter((c) => c.state === 'running');
  await Promise.all(
    nodes.map(async (node) => {
      const result = await engine.exec(node.name, ['docker', 'pull', '-q', clusterRef]);
      if (result.exitCode !== 0)
        throw new LabError(`pull of ${clusterRef} on ${node.labels['dev.swarmlab.node'] ?? node.name} failed: ${result.stderr.trim()}`);
    }),
  );
}
