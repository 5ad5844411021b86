// The page's half of the terminal's flow control (docs/class-server.md, The terminal's wire):
// xterm.js draws what it is given a little later, so a flood (`yes`, a big `cat`) piles up in
// the page unless the server is told to stop sending. Pure, so it is tested without a browser.

/** More than this written to xterm.js and not yet drawn: ask the server to pause. */
export const PAUSE_ABOVE = 512 * 1024;
/** Paused, and less than this still to draw: ask it to resume. */
export const RESUME_BELOW = 128 * 1024;

/** The bytes given to `term.write(data, callback)` whose callback has not run yet. */
export class DrawBacklog {
  private pending = 0;
  private paused = false;

  /** `tell`: sends `{"type": "pause"}` or `{"type": "resume"}` on the current socket. */
  constructor(private readonly tell: (message: 'pause' | 'resume') => void) {}

  get bytes(): number {
    return this.pending;
  }

  written(bytes: number): void {
    this.pending += bytes;
    if (!this.paused && this.pending > PAUSE_ABOVE) {
      this.paused = true;
      this.tell('pause');
    }
  }

  drawn(bytes: number): void {
    this.pending -= bytes;
    if (this.paused && this.pending < RESUME_BELOW) {
      this.paused = false;
      this.tell('resume');
    }
  }

  /** A new socket starts unpaused; what the old one wrote is still drawn and still counted. */
  newSocket(): void {
    this.paused = false;
  }
}
