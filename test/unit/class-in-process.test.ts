// What lets a class bring several labs up in its own process: the allocation claims are per lab
// (not per process), and an up's progress lines can go to a student's log instead of stdout.
import { releaseClaims, withAllocations } from '../../src/lab/allocations.js';
import { runActions } from '../../src/steps/action.js';

const a = `unit-alloc-a-${process.pid}`;
const b = `unit-alloc-b-${process.pid}`;
// Nothing real uses these: a subnet outside the labs' usual first ones, and port 1.
const claimOf = (third: number) => ({ subnet: `10.210.${third}.0/24`, bindAddress: '127.0.0.1', ports: [1] });
const labsIn = (claims: { lab: string }[]) => claims.map((c) => c.lab).filter((lab) => lab === a || lab === b);

afterAll(async () => {
  await releaseClaims(a);
  await releaseClaims(b);
});

describe('allocation claims of one process', () => {
  it("are each lab's own: a lab sees the others' claims, not its own, and releasing one keeps the others", async () => {
    await withAllocations(a, async () => ({ result: undefined, claim: claimOf(250) }));
    const seenByB = await withAllocations(b, async (others) => ({ result: labsIn(others), claim: claimOf(251) }));
    expect(seenByB).toEqual([a]);
    expect(await withAllocations(a, async (others) => ({ result: labsIn(others) }))).toEqual([b]);
    await releaseClaims(a);
    expect(await withAllocations(`unit-alloc-c-${process.pid}`, async (others) => ({ result: labsIn(others) }))).toEqual([b]);
    await releaseClaims(b);
    expect(await withAllocations(`unit-alloc-c-${process.pid}`, async (others) => ({ result: labsIn(others) }))).toEqual([]);
  });
});

describe('progress lines sent elsewhere', () => {
  it('arrive as plain lines, each step and its status, and nothing is written to stdout', async () => {
    const lines: string[] = [];
    const stdoutWrite = process.stdout.write;
    const written: string[] = [];
    process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      await runActions(
        [
          { title: 'Make the network', run: async (_ctx, report) => report('10.210.9.0/24') },
          { title: 'Join the mirror', skip: () => 'no mirror asked' },
        ],
        {},
        { output: (line) => lines.push(line) },
      );
    } finally {
      process.stdout.write = stdoutWrite;
    }
    expect(written).toEqual([]);
    const text = lines.join('\n');
    expect(text).toMatch(/Make the network/);
    expect(text).toMatch(/10\.210\.9\.0\/24/);
    expect(text).toMatch(/Join the mirror.*no mirror asked/);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
  });
});
