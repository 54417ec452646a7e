/** Where engine and strategies report progress; main.ts binds it to the runner, tests to an array. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** Collects lines; used by tests and the demo. */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  constructor(private readonly echo?: (line: string) => void) {}
  info(message: string): void {
    this.push(message);
  }
  warning(message: string): void {
    this.push(`warning: ${message}`);
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.push(`▸ ${name}`);
    return fn();
  }
  private push(line: string): void {
    this.lines.push(line);
    this.echo?.(line);
  }
}
