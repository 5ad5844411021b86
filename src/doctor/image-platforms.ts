// `swarmlab doctor`'s check of the lab's logical images against the engine's CPU: an image with
// no build for it runs on the nodes only under emulation (Docker Desktop's), or not at all.
import type { Engine, ImagePlatform } from '../engine/engine.js';
import { engineEmulates, goArchitecture, knownPlatforms, type PlatformFit, platformFit } from '../images/platforms.js';
import { imageEnvName } from '../spec/defaults.js';
import type { CheckResult } from './check-result.js';

/** A logical image (`echo` -> gihyodocker/echo:latest) and its builds as far as they are known, and from where. */
export interface LogicalImageBuilds {
  name: string;
  image: string;
  platforms?: readonly ImagePlatform[];
  /** `engine`: the engine's copy (image inspect); `table`: swarmlab's table of the course's images. */
  from?: 'engine' | 'table';
}

/** The engine's copy says what it was built for; without one, swarmlab's table may know. */
export async function readLogicalImageBuilds(engine: Engine, images: Record<string, string>): Promise<LogicalImageBuilds[]> {
  return Promise.all(
    Object.entries(images).map(async ([name, image]): Promise<LogicalImageBuilds> => {
      const local = await engine.imagePlatform(image);
      if (local) return { name, image, platforms: [local], from: 'engine' };
      const known = knownPlatforms(image);
      return known ? { name, image, platforms: known, from: 'table' } : { name, image };
    }),
  );
}

const FROM: Record<NonNullable<LogicalImageBuilds['from']>, string> = { engine: 'on the engine', table: "swarmlab's table" };

/** Pure: `engine` is what `docker info` says (Architecture, OperatingSystem). */
export function checkImagePlatforms(engine: { architecture: string; operatingSystem: string }, images: readonly LogicalImageBuilds[]): CheckResult {
  const arch = goArchitecture(engine.architecture);
  const fits = images.map((i) => ({ ...i, fit: platformFit(arch, i.platforms) }));
  const names = (fit: PlatformFit['fit']) => fits.filter((f) => f.fit.fit === fit).map((f) => f.name);
  const emulated = fits.flatMap((f) => (f.fit.fit === 'emulated' ? [{ ...f, builds: f.fit.builds }] : []));
  if (emulated.length === 0) {
    const native = names('native');
    const unknown = names('unknown');
    const said = [
      ...(native.length > 0 ? [`${native.join(', ')} ${native.length === 1 ? 'has' : 'have'} ${arch} builds`] : []),
      ...(unknown.length > 0 ? [`not known for ${unknown.join(', ')} (not on the engine, not in swarmlab's table)`] : []),
    ];
    return { check: 'image platforms', status: 'pass', detail: `the engine is ${arch}${said.length > 0 ? `: ${said.join('; ')}` : ''}` };
  }
  const lacking = emulated.map((e) => `${e.name} (${e.image}: ${e.builds.map((b) => `linux/${b}`).join(', ')}${e.from ? `, ${FROM[e.from]}` : ''})`);
  return {
    check: 'image platforms',
    status: 'warn',
    detail: `the engine is ${arch}; no ${arch} build of ${lacking.join(', ')}`,
    fix: engineEmulates(engine.operatingSystem)
      ? 'nothing to do: they run under emulation (Docker Desktop), slower; swarmlab deploy uses --resolve-image never, and your own docker service create needs it too'
      : `this engine shows no emulation: build each for ${arch} (docker build) and name it in ${emulated.map((e) => `${imageEnvName(e.name)}=<image>`).join(', ')}`,
  };
}
