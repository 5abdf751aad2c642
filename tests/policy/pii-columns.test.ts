// The one list of PII-looking column names that config validation and the policy pack share.
import * as assert from "assert";
import { masksColumn, piiNameReason, topLevelField, uniquePaths } from "../../policy/lib/pii-columns";

describe("PII column names", () => {
  it("recognises what a column holds from whole words of its name, in any case", () => {
    const cases: [string, string][] = [
      ["email", "an e-mail address"],
      ["contact_email", "an e-mail address"],
      ["E_Mail", "an e-mail address"],
      ["mail", "an e-mail address"],
      ["phone", "a phone number"],
      ["mobile_phone", "a phone number"],
      ["msisdn", "a phone number"],
      ["tel", "a phone number"],
      ["first_name", "a person's name"],
      ["surname", "a person's name"],
      ["name", "a person's name"],
      ["billing_address", "a postal or network address"],
      ["street", "a postal or network address"],
      ["client_ip", "an IP address"],
      ["ip", "an IP address"],
      ["IPv6", "an IP address"],
      ["ssn", "a national or financial identifier"],
      ["iban", "a national or financial identifier"],
      ["card_number", "a national or financial identifier"],
      ["date_of_birth", "a date of birth"],
      ["dob", "a date of birth"],
    ];
    for (const [name, holds] of cases) assert.equal(piiNameReason(name), holds, name);
  });

  it("leaves names that merely contain such letters, or use an ambiguous word with others", () => {
    for (const name of [
      "event_id",
      "user_id",
      "hotel",
      "zip",
      "event_name",
      "mailbox_count",
      "voicemail",
      "telemetry",
      "namespace",
      "ts",
      "country",
    ]) {
      assert.equal(piiNameReason(name), undefined, name);
    }
  });

  it("compares paths and columns case-insensitively, and keeps each path once", () => {
    assert.equal(topLevelField("User.Email"), "user");
    assert.equal(masksColumn(["EMAIL"], "email"), true);
    assert.equal(masksColumn(["email.domain"], "email"), false);
    assert.deepEqual(uniquePaths(["Email", "phone", "email", "PHONE"]), ["Email", "phone"]);
  });

  it("keeps apart paths that only upper-casing makes equal, as masking does (straße is not STRASSE)", () => {
    assert.equal(masksColumn(["STRASSE"], "straße"), false);
    assert.deepEqual(uniquePaths(["Straße", "STRASSE", "strasse"]), ["Straße", "STRASSE"]);
  });
});
