// The catalog of built-in courses: each exercise with its course and its place in it, a listing
// per course (the lab's own exercises with every one), and the courses a student has started.
import { COURSE_DIR, courseExercises, loadCatalog, startedCourses } from '../../src/exercise/catalog.js';

describe('the courses', () => {
  it('numbers each course from 1 and tells which course an exercise is in', async () => {
    const catalog = await loadCatalog('/nonexistent-lab-dir', COURSE_DIR);
    expect(catalog.broken).toEqual([]);
    const basics = courseExercises(catalog, 'basics');
    const ops = courseExercises(catalog, 'ops');
    expect(basics[0]).toMatchObject({ course: 'basics', order: 1, exercise: { id: 'swarm-init' } });
    expect(ops[0]).toMatchObject({ course: 'ops', order: 1, exercise: { id: 'auto-rollback' } });
    expect(ops.map((e) => e.order)).toEqual(ops.map((_e, i) => i + 1));
    expect(courseExercises(catalog, 'all')).toHaveLength(basics.length + ops.length);
  });

  it("counts the courses a student has started, else the seeds' course", async () => {
    const catalog = await loadCatalog('/nonexistent-lab-dir', COURSE_DIR);
    expect(startedCourses(catalog, [])).toEqual(['basics']);
    expect(startedCourses(catalog, ['lost-quorum'])).toEqual(['ops']);
    expect(startedCourses(catalog, ['lost-quorum', 'scale-echo', 'my-own'])).toEqual(['basics', 'ops']);
  });
});

describe('exercise list, per course', () => {
  it('marks what breaks the lab on purpose and names the other courses', async () => {
    const { formatList } = await import('../../src/cli/print-exercise.js');
    const { emptyProgress } = await import('../../src/exercise/progress.js');
    const catalog = await loadCatalog('/nonexistent-lab-dir', COURSE_DIR);
    const ops = formatList(courseExercises(catalog, 'ops'), emptyProgress('lab'), 'ops');
    expect(ops).toMatch(/^\s*8\s+lost-quorum !\s/m);
    expect(ops).toMatch(/^\s*1\s+auto-rollback\s/m);
    expect(ops).toContain('! breaks the lab on purpose, to recover from.');
    expect(ops).toContain('Also: swarmlab exercise list --course basics');
    const basics = formatList(courseExercises(catalog, 'basics'), emptyProgress('lab'));
    expect(basics).not.toContain('! breaks');
    expect(basics).toContain('Also: swarmlab exercise list --course ops');
    expect(formatList(courseExercises(catalog, 'all'), emptyProgress('lab'), 'all')).not.toContain('Also:');
  });
});
