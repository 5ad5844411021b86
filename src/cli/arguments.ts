// Checks of positional arguments, failing as SpecErrors (one line, exit 2) before anything runs.
import { SpecError } from '../errors.js';
import { isImageReference } from '../spec/validate.js';

export function requireImageReferences(images: string[], what: string): void {
  const bad = images.filter((image) => !isImageReference(image));
  if (bad.length > 0) {
    throw new SpecError(
      bad.map((image) => ({ field: what, problem: `${JSON.stringify(image)} is not an image reference`, fix: 'write it as repository[:tag], e.g. myapp:1' })),
    );
  }
}
