import * as assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { MUTATION_SCOPES, mutationScore } from "../../tools/mutation";

const ROOT = path.join(__dirname, "..", "..");

describe("npm run mutation", () => {
  it("scores detected (killed, timed out) over valid mutants, leaving compile errors and ignored ones out", () => {
    const mutants = (status: string, n: number) => Array.from({ length: n }, () => ({ status }));
    const score = mutationScore({
      "a.ts": {
        mutants: [...mutants("Killed", 17), ...mutants("Survived", 1), ...mutants("CompileError", 5)],
      },
      "b.ts": { mutants: [...mutants("Timeout", 1), ...mutants("NoCoverage", 1), ...mutants("Ignored", 3)] },
    });
    assert.deepEqual(score, { detected: 18, undetected: 2, score: 90 });
  });

  it("names folders that exist and tests that exist for each of them", () => {
    for (const [scope, { mutate, spec, ignore = [] }] of Object.entries(MUTATION_SCOPES)) {
      for (const file of ignore) assert.ok(existsSync(path.join(ROOT, file)), `${scope}: ${file}`);
      for (const glob of [...mutate, ...spec]) {
        const folder = path.join(ROOT, glob.slice(0, glob.indexOf("/**")));
        assert.ok(existsSync(folder), `${scope}: ${glob}`);
        const suffix = glob.endsWith(".test.ts") ? ".test.ts" : ".ts";
        assert.ok(
          readdirSync(folder, { recursive: true }).some((f) => String(f).endsWith(suffix)),
          `${scope}: ${glob}`,
        );
      }
    }
  });
});
