// The built-in course on the Debian test node (course-suite.ts says what is checked).
import { courseSuite } from './course-suite.js';

courseSuite({ lab: 'e2e-course', registryPort: 5530, webPorts: [18300, 19300] });
