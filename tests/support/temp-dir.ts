// Temporary directories for tests, removed when the test process exits (a run made hundreds of them).
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const created: string[] = [];

process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A new empty directory under the OS's temporary directory, named `firehose-etl-<label>-<random>`. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `firehose-etl-${label}-`));
  created.push(dir);
  return dir;
}
