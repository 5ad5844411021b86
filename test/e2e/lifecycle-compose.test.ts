// The core lifecycle with `launcher: compose` (compose v2, else v1, as this machine has).
import { lifecycleSuite } from './lifecycle-suite.js';

lifecycleSuite({ lab: 'e2e-life-c', registryPort: 5536, webPorts: [18010, 19010], launcher: 'compose', launcherLabel: /with docker[ -]compose \(v[12]\)/ });
