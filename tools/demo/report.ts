/**
 * How the demo talks to the user: numbered section headings, the command each section stands for, and short notes.
 * Everything goes through one line sink so that the demo can print to the console or be captured by a test.
 */

/** Receives each printed line. */
export type LineSink = (line: string) => void;

const WIDTH = 100;

/** Formats the demo's output; keeps the section numbering. */
export class Report {
  private section = 0;

  constructor(
    private readonly out: LineSink,
    /** How many numbered sections there will be, shown as `n/total`. */
    private readonly total: number,
  ) {}

  /** A full-width title, for the start and the end of the demo. */
  banner(title: string): void {
    this.out("═".repeat(WIDTH));
    this.out(`  ${title}`);
    this.out("═".repeat(WIDTH));
  }

  /** A numbered section heading, with the `pulumi` command it stands for (when there is one). */
  heading(title: string, command?: string): void {
    this.section += 1;
    const label = `── ${this.section}/${this.total}  ${title} `;
    this.out("");
    this.out(label + "─".repeat(Math.max(3, WIDTH - label.length)));
    if (command) this.out(`$ ${command}`);
    this.out("");
  }

  /** An unnumbered heading (the simulator intro, the action log). */
  subheading(title: string): void {
    const label = `── ${title} `;
    this.out("");
    this.out(label + "─".repeat(Math.max(3, WIDTH - label.length)));
    this.out("");
  }

  /** Lines printed as they are (a Pulumi plan, a table). */
  lines(lines: readonly string[]): void {
    for (const l of lines) this.out(l);
  }

  /** A remark of the demo itself, set apart from Pulumi's output by an arrow. */
  note(text: string): void {
    this.out(`  ➜ ${text}`);
  }

  /** An empty line. */
  blank(): void {
    this.out("");
  }
}
