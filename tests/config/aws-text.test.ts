// AWS's documented rules for the names and descriptions the program builds: lengths at their limits, and the
// characters and shapes each pattern allows.
import { strict as assert } from "assert";
import { AWS_TEXT, TextRule, textProblem } from "../../config/aws-text";

type RuleName = keyof typeof AWS_TEXT;

/** A value of `length` characters made only of characters the rule allows. */
function fitting(name: RuleName, length: number): string {
  return name === "kmsAlias" ? `alias/${"k".repeat(length - 6)}` : "a".repeat(length);
}

/** Values each pattern accepts and refuses: every kind of allowed character, and a bad one at either end. */
const PATTERNS: Record<RuleName, { accepts: string[]; refuses: string[] }> = {
  firehoseStreamName: { accepts: ["Az09_.-"], refuses: ["a!", "!a", "a b"] },
  kinesisStreamName: { accepts: ["Az09_.-"], refuses: ["a!", "!a", "a/b"] },
  lambdaFunctionName: { accepts: ["Az09_-"], refuses: ["a.b", "a.", ".a"] },
  redshiftServerlessName: { accepts: ["az09-", "-0a"], refuses: ["abC", "Abc", "ab_c"] },
  redshiftClusterIdentifier: {
    accepts: ["a", "az09-b", "a-b-c"],
    refuses: ["0ab", "-ab", "Ab", "ab-", "a--b", "aB", "a_b"],
  },
  openSearchDomainName: { accepts: ["az09-", "ab-"], refuses: ["0ab", "-ab", "abC", "Abc", "a_b"] },
  kmsAlias: {
    accepts: ["alias/Az09/_-", "alias/awsx", "alias/my/aws/key"],
    refuses: ["alias/aws/key", "xalias/key", "alias/key.", "alias/.key", "Alias/key"],
  },
  athenaWorkgroupName: { accepts: ["Az09._-"], refuses: ["a!", "!a", "a b"] },
  dashboardName: { accepts: ["Az09_-"], refuses: ["a.", ".a", "a b"] },
  securityGroupDescription: {
    accepts: ["", "Az 09 ._-:/()#,@[]+=&;{}!$*"],
    refuses: ["a'", "'a", "a%b", "a\\b"],
  },
  securityGroupRuleDescription: {
    accepts: ["", "Az 09 ._-:/()#,@[]+=;{}!$*"],
    refuses: ["a&", "&a", "a'", "a\\b"],
  },
  ipRangeRuleDescription: { accepts: ["", "Az 09 ._-:/()#,@[]+=&;{}!$*"], refuses: ["a'", "'a", "a\\b"] },
  iamDescription: {
    accepts: ["", "tab\tLF\nCR\r ~ ¡ é ÿ"],
    refuses: ["a\u0000", "\u0001a", "a\u007F", "a\u00A0", "a\u0100", "€"],
  },
};

describe("AWS text rules", () => {
  for (const [name, rule] of Object.entries(AWS_TEXT) as [RuleName, TextRule][]) {
    describe(name, () => {
      it(`accepts ${rule.min} and ${rule.max} characters, refuses ${rule.min - 1} and ${rule.max + 1}`, () => {
        assert.equal(textProblem(rule, fitting(name, rule.min)), undefined);
        assert.equal(textProblem(rule, fitting(name, rule.max)), undefined);
        const long = fitting(name, rule.max + 1);
        assert.equal(
          textProblem(rule, long),
          `${rule.what} "${long}" has ${rule.max + 1} characters; AWS allows ${rule.min}-${rule.max} (${rule.source})`,
        );
        if (rule.min > 0) {
          const short = fitting(name, rule.min).slice(1);
          assert.match(textProblem(rule, short) ?? "", / has \d+ characters; /, JSON.stringify(short));
        }
      });

      it("accepts the characters it allows and refuses others, naming them", () => {
        for (const value of PATTERNS[name].accepts) {
          assert.equal(textProblem(rule, value), undefined, JSON.stringify(value));
        }
        for (const value of PATTERNS[name].refuses) {
          assert.equal(
            textProblem(rule, value),
            `${rule.what} "${value}" may contain only ${rule.allowed} (${rule.source})`,
          );
        }
      });

      it("says what the text is, which characters it may hold, and the API reference that says so", () => {
        assert.match(rule.what, /^[\w ]+ (name|identifier|description)$/);
        assert.match(rule.allowed, /letters|characters/);
        assert.match(rule.source, /^[\w ]+API Reference, \w+/);
      });
    });
  }

  it("states a length problem with the value, its length, the limits and the source", () => {
    assert.equal(
      textProblem(AWS_TEXT.redshiftServerlessName, "ab"),
      'Redshift Serverless namespace or workgroup name "ab" has 2 characters; AWS allows 3-64 (Redshift ' +
        "Serverless API Reference, CreateNamespace namespaceName and CreateWorkgroup workgroupName)",
    );
  });
});
