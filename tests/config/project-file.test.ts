// Pulumi.yaml declares the project's config keys for the CLI: every key the schema knows, typed where the CLI
// can type it (string, integer, boolean), and nothing the schema does not know.
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { stackConfigObject } from "../../config/settings";

interface Declaration {
  type?: string;
  description?: string;
  secret?: boolean;
}

const declared = (
  parseYaml(readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8")) as {
    config: Record<string, Declaration>;
  }
).config;

/** The type Pulumi's CLI gives a key whose schema is `schema`, or undefined when it cannot type it (objects). */
function cliTypeOf(schema: z.ZodType): string | undefined {
  const def = schema.def as {
    type: string;
    innerType?: z.ZodType;
    checks?: { _zod: { def: { check: string } } }[];
  };
  if (def.innerType !== undefined) return cliTypeOf(def.innerType);
  if (def.type === "boolean") return "boolean";
  if (def.type === "string" || def.type === "enum") return "string";
  if (def.type === "number")
    return def.checks?.some((c) => c._zod.def.check === "number_format") ? "integer" : undefined;
  return undefined;
}

describe("Pulumi.yaml declares every config key", () => {
  const keys = Object.keys(stackConfigObject.shape);

  it("declares each key the schema knows, with a description, and no other", () => {
    assert.deepEqual(Object.keys(declared).sort(), [...keys].sort());
    for (const key of keys) assert.ok((declared[key].description ?? "").length > 10, `${key}: description`);
  });

  it("types every key the CLI can type (string, integer, boolean)", () => {
    for (const key of keys) {
      assert.equal(
        declared[key].type,
        cliTypeOf(stackConfigObject.shape[key as keyof typeof stackConfigObject.shape]),
        key,
      );
    }
  });

  it("declares no secret key: a declared key is required in every stack, and these are optional", () => {
    for (const secret of ["piiHashKey", "httpEndpointAccessKey"])
      assert.equal(declared[secret], undefined, secret);
  });
});
