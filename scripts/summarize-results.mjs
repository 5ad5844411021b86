// Prints jest's JSON results as the one line CI reads: "N passed, N failed".
// No results file (the run broke before jest wrote it) counts as one failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.ci/jest-results.json';
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  process.exit(0);
}
// A suite that failed to load has no test results of its own: count it as a failure.
const brokenSuites = results.numRuntimeErrorTestSuites ?? 0;
console.log(`${results.numPassedTests} passed, ${results.numFailedTests + brokenSuites} failed`);
