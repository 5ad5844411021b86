// What `class status` and the class server's grid read: every student's row, each from its own engine.
import { loadCatalog } from '../exercise/catalog.js';
import type { OpenClass } from './open-class.js';
import type { StudentLab } from './plan.js';
import { readStudentStatus, type StudentStatus } from './student-status.js';

export interface ClassStatusReader {
  /** One student's row, read now. */
  readStudent(student: StudentLab): Promise<StudentStatus>;
  /** Every student's row, read now, in the class's order. */
  readAll(): Promise<StudentStatus[]>;
}

/** A reader of the class's rows; its engines are resolved, and its course catalog loaded, once, here. */
export async function classStatusReader(opened: OpenClass): Promise<ClassStatusReader> {
  opened.engines(); // an engine that is gone is refused before the catalog is read
  const catalog = await loadCatalog(opened.dir);
  const readStudent = (s: StudentLab) => readStudentStatus(opened.engineOf(s).client, s.engine, opened.dir, s, catalog);
  return { readStudent, readAll: () => Promise.all(opened.students.map(readStudent)) };
}
