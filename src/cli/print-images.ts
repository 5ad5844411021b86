// How an image pack's summary reads in a terminal. Pure: data in, text out.
import type { PackedImage } from '../images/pack.js';
import { table } from './output.js';

/**
 * One row per packed image, under a header: two of the columns are sha256 digests (the image's ID
 * and the checksum `images load` verifies), which nobody can tell apart unlabeled.
 */
export function formatPackSummary(images: PackedImage[]): string {
  return table(
    ['IMAGE', 'IMAGE ID', 'SIZE', 'CHECKSUM'],
    images.map((image) => [image.ref, image.id.slice(0, 19), `${(image.size / 1e6).toFixed(1)} MB`, `sha256:${image.sha256.slice(0, 12)}`]),
  );
}
