import * as assert from "node:assert/strict";
import { parseFieldPath } from "../../lambda/transform/field-path";
import { JsonObject } from "../../lambda/transform/json";
import { maskFields } from "../../lambda/transform/mask";
import { compilePiiPaths, foldKey } from "../../lambda/transform/pii-paths";
import { createDigester } from "../../lambda/transform/pseudonym";
import { hmacPseudonym, TEST_KEY } from "./helpers";

const digest = createDigester({ mode: "hmac-sha256", key: TEST_KEY, hexLength: 32 });

function masked(paths: readonly string[], record: JsonObject): JsonObject {
  maskFields(
    record,
    compilePiiPaths(
      paths.map((path) => parseFieldPath(path, "PII_FIELDS")),
      "PII_FIELDS",
    ),
    digest,
    32,
  );
  return record;
}

const email = (value: string): string => hmacPseudonym("email", value);

describe("masking", () => {
  const paths = ["email", "user.contact.email", "phone"];

  it("replaces top-level and nested strings by <last segment>_hash_<hex>", () => {
    assert.deepEqual(
      masked(paths, {
        email: "jane@example.com",
        user: { contact: { email: "JANE@example.com" } },
        phone: "+49 30 1234567",
        other: "x",
      }),
      {
        email: email("jane@example.com"),
        user: { contact: { email: email("JANE@example.com") } },
        phone: hmacPseudonym("phone", "+49 30 1234567"),
        other: "x",
      },
    );
  });

  it("keeps empty strings and null, and leaves absent paths and scalars on the way alone", () => {
    assert.deepEqual(masked(paths, { email: "", phone: null, user: "jane" }), {
      email: "",
      phone: null,
      user: "jane",
    });
  });

  it("masks numbers, booleans, objects and arrays over their JSON text, so nothing passes through", () => {
    assert.deepEqual(
      masked(paths, {
        email: 12345,
        phone: { country: "+49", number: "301234567" },
        user: { contact: { email: ["a@b.c"] } },
      }),
      {
        email: email("12345"),
        phone: hmacPseudonym("phone", '{"country":"+49","number":"301234567"}'),
        user: { contact: { email: email('["a@b.c"]') } },
      },
    );
    assert.deepEqual(masked(["flag"], { flag: false }), { flag: hmacPseudonym("flag", "false") });
  });

  it("does not follow inherited properties such as constructor", () => {
    const record = masked(["constructor.name"], {});
    assert.deepEqual(record, {});
    assert.equal(Object.prototype.constructor.name, "Object");
  });

  describe("case", () => {
    it("matches keys case-insensitively at every segment, keeping each key's spelling", () => {
      assert.deepEqual(
        masked(paths, {
          Email: "a@x.io",
          USER: { Contact: { eMaIl: "b@x.io" } },
          PHONE: "+1 555 123 4567",
        }),
        {
          Email: email("a@x.io"),
          USER: { Contact: { eMaIl: email("b@x.io") } },
          PHONE: hmacPseudonym("phone", "+1 555 123 4567"),
        },
      );
    });

    it("masks every case variant of a key, whichever comes first", () => {
      assert.deepEqual(masked(["email"], { email: "x", EMAIL: "a@b.c" }), {
        email: email("x"),
        EMAIL: email("a@b.c"),
      });
      assert.deepEqual(masked(["email"], { EMAIL: "a@b.c", email: "x", Email: "" }), {
        EMAIL: email("a@b.c"),
        email: email("x"),
        Email: "",
      });
    });

    it("prefixes pseudonyms with the configured segment, whatever the input's case", () => {
      assert.deepEqual(masked(["userEmail"], { USEREMAIL: "a@b.c", useremail: "a@b.c" }), {
        USEREMAIL: hmacPseudonym("userEmail", "a@b.c"),
        useremail: hmacPseudonym("userEmail", "a@b.c"),
      });
    });

    it("folds with the Unicode lower-case mapping, which covers ASCII and more", () => {
      assert.equal(foldKey("E-MAIL_Ä"), "e-mail_ä");
      // KELVIN SIGN lower-cases to k: a consumer folding it would read the PII column.
      assert.deepEqual(masked(["key"], { "\u212Aey": "secret" }), {
        "\u212Aey": hmacPseudonym("key", "secret"),
      });
      assert.deepEqual(masked(["ä"], { Ä: "secret" }), { Ä: hmacPseudonym("ä", "secret") });
    });

    it("refuses two configured paths that differ only in case", () => {
      assert.throws(() => masked(["user.email", "User.Email"], {}), {
        message: 'PII_FIELDS lists "User.Email" twice (paths match keys case-insensitively)',
      });
    });
  });

  describe("arrays", () => {
    it("traverses arrays at every segment, nested at any depth, continuing into object elements", () => {
      assert.deepEqual(
        masked(["user.contact.email"], {
          user: [
            { contact: { email: "a@x.io" } },
            { contact: [{ email: "b@x.io" }, [[{ Email: "c@x.io" }]], "loose", null] },
            [[{ contact: { email: "d@x.io" } }]],
            "not an object",
            7,
          ],
        }),
        {
          user: [
            { contact: { email: email("a@x.io") } },
            { contact: [{ email: email("b@x.io") }, [[{ Email: email("c@x.io") }]], "loose", null] },
            [[{ contact: { email: email("d@x.io") } }]],
            "not an object",
            7,
          ],
        },
      );
    });

    it("masks an array that is the PII field's value whole", () => {
      assert.deepEqual(masked(["user.email"], { user: [{ email: ["a@b.c", "d@e.f"] }] }), {
        user: [{ email: email('["a@b.c","d@e.f"]') }],
      });
    });
  });

  describe("literal dotted keys", () => {
    it("reads a key with dots as the path it spells, in any case and at any level", () => {
      assert.deepEqual(
        masked(["user.contact.email"], {
          "user.contact.email": "a@x.io",
          "User.Contact": { EMAIL: "b@x.io" },
          user: { "contact.Email": "c@x.io", "Contact.email": [{}], contact: [{ "": "e" }] },
          "user.contact": [{ email: "d@x.io" }],
        }),
        {
          "user.contact.email": email("a@x.io"),
          "User.Contact": { EMAIL: email("b@x.io") },
          user: { "contact.Email": email("c@x.io"), "Contact.email": email("[{}]"), contact: [{ "": "e" }] },
          "user.contact": [{ email: email("d@x.io") }],
        },
      );
    });

    it("leaves keys whose dotted path is not configured alone", () => {
      const record = { "user.name": "Jane", "user.email.x": "a@b.c", "user..email": "a@b.c", ".email": "a" };
      assert.deepEqual(masked(["user.email"], { ...record }), record);
    });
  });

  it("masks the whole value where one configured path is a prefix of another", () => {
    const user = { email: "a@b.c", id: 1 };
    for (const paths of [
      ["user", "user.email"],
      ["user.email", "user"],
    ]) {
      assert.deepEqual(masked(paths, { user: { ...user } }), {
        user: hmacPseudonym("user", JSON.stringify(user)),
      });
    }
  });

  it("leaves a value that already is the field's pseudonym, and masks one of another name or length", () => {
    const pseudonym = email("a@b.c");
    const record = masked(paths, { email: pseudonym, EMAIL: pseudonym, phone: pseudonym });
    assert.deepEqual(record, {
      email: pseudonym,
      EMAIL: pseudonym,
      phone: hmacPseudonym("phone", pseudonym),
    });
    const short = `email_hash_${"a".repeat(30)}`;
    const upper = `email_hash_${"A".repeat(32)}`;
    assert.deepEqual(masked(paths, { email: short }), { email: email(short) });
    assert.deepEqual(masked(paths, { email: upper }), { email: email(upper) });
  });
});
