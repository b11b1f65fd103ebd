/**
 * What a benchmark measured against a DESIGN.md target: one line each, and a summary at the
 * end. `pass` is null for lines that only inform (no target).
 */
export interface TargetResult {
  readonly bench: string;
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean | null;
  /** Sizes, raw timings: what the ratio was computed from. */
  readonly detail?: string;
}

export class BenchReport {
  readonly results: TargetResult[] = [];
  readonly failures: string[] = [];

  add(result: TargetResult): void {
    this.results.push(result);
    console.log(formatLine(result));
  }

  /** A measurement that could not be made here (e.g. no PostgreSQL): an INFO line saying why. */
  skipped(bench: string, name: string, reason: string): void {
    this.add({ bench, name, measured: "-", target: "-", pass: null, detail: `skipped: ${reason}` });
  }

  /** A benchmark that could not finish: reported, and the others still run. */
  crashed(bench: string, error: unknown): void {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    this.failures.push(`${bench}: ${message}`);
    console.log(`[${bench}] ERROR ${message}`);
  }

  summary(): string {
    const lines = ["", "Summary", ...this.results.map(formatLine)];
    const checked = this.results.filter((result) => result.pass !== null);
    const passed = checked.filter((result) => result.pass).length;
    lines.push(
      `${passed} of ${checked.length} targets met` +
        (this.failures.length > 0 ? `; ${this.failures.length} benchmark(s) crashed` : ""),
    );
    return lines.join("\n");
  }
}

function formatLine(result: TargetResult): string {
  const verdict = result.pass === null ? "INFO" : result.pass ? "PASS" : "FAIL";
  const detail = result.detail ? `  (${result.detail})` : "";
  return `[${result.bench}] ${result.name.padEnd(44)} ${result.measured.padStart(10)}  target ${result.target.padEnd(10)} ${verdict}${detail}`;
}

/** Progress for the person running the benchmark (stderr keeps stdout to the results). */
export function progress(bench: string, message: string): void {
  process.stderr.write(`  ${bench}: ${message}\n`);
}
