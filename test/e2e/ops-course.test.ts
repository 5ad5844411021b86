// The operations course (course/ops/) on the Debian test node: every exercise started (most break
// the lab on purpose), checked failing, solved, checked passing and reset (course-suite.ts).
import { courseSuite } from './course-suite.js';

courseSuite({ course: 'ops', lab: 'e2e-ops', registryPort: 5590, webPorts: [18900, 19900] });
