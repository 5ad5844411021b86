// An exercise, as its file describes it after strict decoding: plain data, no behaviour.
// Text fields may hold {{...}} placeholders, filled in for the lab at hand (see template.ts).

export const EXERCISE_KIND = 'Exercise';

/** Something true or not of the lab's host; steps and checks may apply only where it holds. */
export interface Condition {
  /** The nodes' kernel has IPVS (routing mesh and VIP endpoints work). */
  ipvs?: boolean;
}

/** The lab an exercise needs. */
export interface LabShape {
  managers?: number;
  workers?: number;
  /** false: the lab comes up without a swarm (`swarmlab up --no-swarm`), for forming one by hand. */
  swarm: boolean;
}

/**
 * One step of setup, solve or reset: a swarmlab command on the host, a shell script inside a
 * node, or a file (over)written in the lab directory, as the user, so the student can edit it.
 */
export type Step =
  | { swarmlab: string[]; when?: Condition }
  | { node: string; sh: string; when?: Condition }
  | { file: string; content: string; when?: Condition };

/** A file `exercise start` writes into the lab directory (a starter stack file, say), unless one is there. */
export interface ExerciseFile {
  /** Relative to the lab directory, e.g. stack/visualizer.yml. */
  path: string;
  content: string;
}

export type Role = 'manager' | 'worker';

export interface ServiceExpectation {
  on: 'service';
  name: string;
  absent?: boolean;
  /** Running tasks. */
  replicas?: number;
  /** Glob over the image reference, digest left out: `*echo*`. */
  image?: string;
  mode?: 'replicated' | 'global';
  /** Running tasks spread over at least this many nodes. */
  minNodes?: number;
  notOnRole?: Role;
  onRole?: Role;
  networks?: string[];
  publishedPort?: number;
  publishMode?: 'ingress' | 'host';
  endpointMode?: 'vip' | 'dnsrr';
  secrets?: string[];
  configs?: string[];
  /** Environment variables, each value a glob. */
  env?: Record<string, string>;
  /** Placement constraints the service must have (spaces do not count). */
  constraints?: string[];
  /** Mount targets inside the task, each with its source: {"/var/run/docker.sock": "/var/run/docker.sock"}. */
  mounts?: Record<string, string>;
  /** The state of its last update: completed, rollback_completed, paused, updating, ... */
  updateState?: string;
  /** Glob over its health check's command (words joined by spaces), e.g. "*:8080/*". */
  healthcheck?: string;
  /** Placement preferences it must have, as `spread=node.labels.zone`. */
  placementPrefs?: string[];
  /** Whether each task reserves memory (the fix for a reservation no node can meet is a smaller one, not none). */
  reservesMemory?: boolean;
}

export interface NodeExpectation {
  on: 'node';
  name: string;
  role?: Role;
  /** ready | down | unknown | disconnected */
  status?: string;
  /** active | pause | drain */
  availability?: string;
  /** leader | reachable | unreachable */
  managerStatus?: string;
  /** Node labels, each value a glob. */
  labels?: Record<string, string>;
}

/** The swarm as a whole. */
export interface SwarmExpectation {
  on: 'swarm';
  /** Managers lock their keys at rest (docker swarm update --autolock). */
  autolock?: boolean;
}

export interface NodesExpectation {
  on: 'nodes';
  ready?: number;
  managers?: number;
  workers?: number;
  down?: number;
  /**
   * Entries beyond the first of a hostname listed more than once: a node that left and joined
   * again keeps its old entry, still Ready for a few seconds, then Down until `node rm`.
   */
  duplicates?: number;
}

export interface NetworkExpectation {
  on: 'network';
  name: string;
  absent?: boolean;
  driver?: string;
  attachable?: boolean;
  scope?: string;
}

export interface NamedExpectation {
  on: 'secret' | 'config';
  name: string;
  absent?: boolean;
}

export interface StackExpectation {
  on: 'stack';
  name: string;
  absent?: boolean;
  /** How many services, or which (names without the stack prefix). */
  services?: number | string[];
}

export type Expectation = ServiceExpectation | NodeExpectation | NodesExpectation | SwarmExpectation | NetworkExpectation | NamedExpectation | StackExpectation;

/** A GET from the host, to 127.0.0.1 only. */
export interface HttpProbe {
  /** A host port, as is. */
  port?: number;
  /** A port of the first manager, reached through the host port the lab publishes it on (8000 for 80 by default). */
  managerPort?: number;
  path: string;
  status: number;
  contains?: string;
}

interface CheckCommon {
  id: string;
  /** What the check is about, shown in `exercise show`. */
  description?: string;
  /** The message when it fails, with {{...}} filled from what was seen. */
  fail?: string;
  /** Shown one at a time by `exercise hint`. */
  hints: string[];
  /** Keep checking until it passes or this many milliseconds pass (for convergence). */
  waitMs?: number;
  when?: Condition;
  /**
   * Earlier checks that must pass for this one to mean anything (a port that answers means the
   * service works only if it is the service answering); until they do, it is skipped.
   */
  needs?: string[];
}

export type Check = CheckCommon &
  ({ kind: 'expect'; expect: Expectation } | { kind: 'run'; run: { node: string; sh: string } } | { kind: 'http'; http: HttpProbe });

export interface Exercise {
  id: string;
  title: string;
  lab: LabShape;
  /** Logical image names it uses ({{images.NAME}}, {{registry.NAME}}). */
  images: string[];
  /** Markdown, shown by `exercise show`. */
  task: string;
  /** Markdown added on hosts without IPVS (what to do instead of the routing mesh). */
  withoutIpvs?: string;
  /** What `start` breaks in the lab on purpose (a lost quorum, a locked manager), said before it does. */
  breaks?: string;
  files: ExerciseFile[];
  setup: Step[];
  checks: Check[];
  solve: Step[];
  reset: Step[];
}

/** An exercise and where it was found. */
export interface ExerciseSource {
  exercise: Exercise;
  /** Absolute path of its file. */
  file: string;
  origin: 'course' | 'lab' | 'file';
  /** Its place in its built-in course (1-based), when it is part of one. */
  order?: number;
  /** The built-in course it is part of (a lab's file that replaces one keeps its place there). */
  course?: 'basics' | 'ops';
}
