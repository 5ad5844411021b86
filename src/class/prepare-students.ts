// Each student's lab directory and its swarmlab.yaml, written before their lab comes up.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ClassSpec, type StudentLab, studentSpecFile } from './plan.js';

const OURS = '# Written by swarmlab class up';

/** Each student's directory and swarmlab.yaml; a swarmlab.yaml the instructor wrote stays. */
export async function prepareStudents(classDir: string, spec: ClassSpec, students: StudentLab[]): Promise<void> {
  for (const student of students) {
    const dir = path.join(path.resolve(classDir), student.dir);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'swarmlab.yaml');
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing === undefined || existing.startsWith(OURS)) await writeFile(file, studentSpecFile(spec, student));
  }
}
