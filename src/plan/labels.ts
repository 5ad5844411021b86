// Ownership labels. What a lab owns is found by these, never by name alone: a container that
// merely carries a lab's name is not the lab's and is never touched.
export const LABEL_LAB = 'dev.swarmlab.lab';
export const LABEL_ROLE = 'dev.swarmlab.role';
export const LABEL_NODE = 'dev.swarmlab.node';

export type OwnedRole = 'manager' | 'worker' | 'registry';
