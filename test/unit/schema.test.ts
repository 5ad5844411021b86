// The shipped JSON schema must say what the decoder and validator enforce.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_NAME_PATTERN, KNOWN_KEYS } from '../../src/spec/decode.js';
import { DEFAULT_IMAGES, defaultSpec } from '../../src/spec/defaults.js';
import { NODE_CUT_NAMES } from '../../src/spec/node-cuts.js';
import { API_VERSION, KIND } from '../../src/spec/types.js';
import { MANAGER_COUNTS, MAX_WORKERS, NAME_PATTERN, RUNTIME_PATTERN } from '../../src/spec/validate.js';
import { REPO_ROOT } from '../repo-root.js';

const schema = JSON.parse(readFileSync(path.join(REPO_ROOT, 'schema', 'swarmlab.schema.json'), 'utf8'));
const props = schema.properties;

describe('schema/swarmlab.schema.json', () => {
  it('lists exactly the keys the decoder accepts, and no others', () => {
    expect(Object.keys(props).sort()).toEqual([...KNOWN_KEYS].sort());
    expect(schema.additionalProperties).toBe(false);
  });

  it('has the same rules and defaults', () => {
    const defaults = defaultSpec({});
    expect(props.apiVersion.const).toBe(API_VERSION);
    expect(props.kind.const).toBe(KIND);
    expect(props.name.pattern).toBe(NAME_PATTERN.source);
    expect(props.managers.enum).toEqual(MANAGER_COUNTS);
    expect(props.workers.maximum).toBe(MAX_WORKERS);
    for (const key of ['name', 'managers', 'workers', 'nodeImage', 'registryImage', 'registryPort', 'bindAddress'] as const) {
      expect([key, props[key].default]).toEqual([key, defaults[key]]);
    }
    expect(props.ports.default).toEqual(defaults.ports.map((p) => `${p.host}:${p.container}`));
    expect(props.images.default).toEqual(DEFAULT_IMAGES);
    expect(props.nodeCuts.default).toEqual(defaults.nodeCuts);
    expect(props.nodeCuts.items.enum).toEqual(NODE_CUT_NAMES);
    expect(props.images.propertyNames.pattern).toBe(IMAGE_NAME_PATTERN.source);
    // No default: a lab without it runs privileged (or in the capabilities mode).
    expect(props.runtime.pattern).toBe(RUNTIME_PATTERN.source);
    expect(props.runtime.default).toBeUndefined();
    expect(defaults.runtime).toBeUndefined();
  });
});
