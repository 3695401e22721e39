// Where a CLI command writes: its result lines to `out`, progress and errors to `err` (stderr in cli.ts).
export interface CliIo {
  out(s: string): void;
  err: { write(s: string): unknown };
}
