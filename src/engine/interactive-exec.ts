// An interactive exec needs the terminal itself: raw mode, resizes, signals, stdin until EOF.
// The docker CLI does all of that, so this one path goes through it instead of dockerode.
import { execa } from 'execa';

export async function execInteractive(container: string, argv: string[]): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const result = await execa('docker', ['exec', '-i', ...(tty ? ['-t'] : []), container, ...argv], { stdio: 'inherit', reject: false });
  return result.exitCode ?? 1;
}
