// The names a user types for swarmlab's top-level commands (`logs [node]` is `logs`): `class
// exec` checks a student's command against them. Apart from all.ts, which imports every command
// and so `class exec` itself; a unit test holds this list to all.ts's.
export const TOP_COMMAND_NAMES = [
  'up',
  'status',
  'render',
  'down',
  'ls',
  'doctor',
  'logs',
  'stop',
  'start',
  'push',
  'deploy',
  'undeploy',
  'docker',
  'ps',
  'exercise',
  'viz',
  'chaos',
  'node',
  'class',
  'images',
  'mirror',
  'context',
  'env',
];
