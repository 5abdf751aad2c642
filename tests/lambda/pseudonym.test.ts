import * as assert from "node:assert/strict";
import { parseFieldPath } from "../../lambda/transform/field-path";
import { maskFields } from "../../lambda/transform/mask";
import { createDigester, memoiseForBatch } from "../../lambda/transform/pseudonym";
import { hmacPseudonym, TEST_KEY } from "./helpers";

describe("pseudonyms", () => {
  it("hmac-sha256 matches RFC 4231 test case 2, truncated to the configured length", () => {
    const full = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert.equal(
      createDigester({ mode: "hmac-sha256", key: "Jefe", hexLength: 64 })("what do ya want for nothing?"),
      full,
    );
    assert.equal(
      createDigester({ mode: "hmac-sha256", key: "Jefe", hexLength: 32 })("what do ya want for nothing?"),
      full.slice(0, 32),
    );
  });

  it("sha256-salt is the first 12 hex chars of SHA-256(value + salt)", () => {
    // SHA-256("abc") from FIPS 180-2: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert.equal(createDigester({ mode: "sha256-salt", key: "c", hexLength: 12 })("ab"), "ba7816bf8f01");
  });

  it("a batch memo returns the same digests and computes each distinct value once", () => {
    const seen: string[] = [];
    const digest = memoiseForBatch((value) => {
      seen.push(value);
      return `d(${value})`;
    });
    assert.deepEqual(["a", "b", "a", "a", "b"].map(digest), ["d(a)", "d(b)", "d(a)", "d(a)", "d(b)"]);
    assert.deepEqual(seen, ["a", "b"]);
  });
});

describe("masking", () => {
  const digest = createDigester({ mode: "hmac-sha256", key: TEST_KEY, hexLength: 32 });
  const paths = ["email", "user.contact.email", "phone"].map((path) => parseFieldPath(path, "PII_FIELDS"));

  it("replaces top-level and nested strings by <last segment>_hash_<hex>", () => {
    const record = {
      email: "jane@example.com",
      user: { contact: { email: "JANE@example.com" } },
      phone: "+49 30 1234567",
      other: "x",
    };
    maskFields(record, paths, digest);
    assert.deepEqual(record, {
      email: hmacPseudonym("email", "jane@example.com"),
      user: { contact: { email: hmacPseudonym("email", "JANE@example.com") } },
      phone: hmacPseudonym("phone", "+49 30 1234567"),
      other: "x",
    });
  });

  it("keeps empty strings and null, and leaves absent paths and paths through arrays or scalars alone", () => {
    const record = { email: "", phone: null, user: [{ contact: { email: "in-array@example.com" } }] };
    maskFields(record, paths, digest);
    assert.deepEqual(record, {
      email: "",
      phone: null,
      user: [{ contact: { email: "in-array@example.com" } }],
    });
    const scalarParent = { user: "jane" };
    maskFields(scalarParent, paths, digest);
    assert.deepEqual(scalarParent, { user: "jane" });
  });

  it("masks numbers, booleans, objects and arrays over their JSON text, so nothing passes through", () => {
    const record = {
      email: 12345,
      phone: { country: "+49", number: "301234567" },
      user: { contact: { email: ["a@b.c"] } },
    };
    maskFields(record, paths, digest);
    assert.deepEqual(record, {
      email: hmacPseudonym("email", "12345"),
      phone: hmacPseudonym("phone", '{"country":"+49","number":"301234567"}'),
      user: { contact: { email: hmacPseudonym("email", '["a@b.c"]') } },
    });
  });

  it("does not follow inherited properties such as constructor", () => {
    const record = {};
    maskFields(record, [parseFieldPath("constructor.name", "PII_FIELDS")], digest);
    assert.deepEqual(record, {});
    assert.equal(Object.prototype.constructor.name, "Object");
  });
});
