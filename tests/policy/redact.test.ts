import { strict as assert } from "assert";
import { violation } from "../../policy/lib/findings";
import { redactUrlCredentials } from "../../policy/lib/redact";
import { formatViolations } from "../../offline/check-stack";
import { firehoseHttpEndpoint } from "../../policy/policies/firehose-http-endpoint";
import { problemsOf, rawConfigOf } from "../support/stacks";
import { httpEndpointStream } from "./fixtures";
import { patched } from "./helpers";
import { streamViolations } from "./stream-policy";

describe("URL credentials never reach a message", () => {
  const cases: [string, string][] = [
    ["http://user:password@intake.example.com/v1", "http://***@intake.example.com/v1"],
    [
      '"https://u:p@a.example.com" and ftp://x@b.example',
      '"https://***@a.example.com" and ftp://***@b.example',
    ],
    ["jdbc:redshift://admin:s3cret@wg.example:5439/dev", "jdbc:redshift://***@wg.example:5439/dev"],
    ["https://intake.example.com/v1?to=a@b.example", "https://intake.example.com/v1?to=a@b.example"],
    ["no URL: user:password@host", "no URL: user:password@host"],
    // Any RFC 3986 scheme: one letter, or letters followed by digits, '+', '.' or '-'.
    ["s3://AKIAEXAMPLE:secret@bucket/key", "s3://***@bucket/key"],
    ["x://user:pw@host/", "x://***@host/"],
    ["svn+ssh://user:pw@host/repo", "svn+ssh://***@host/repo"],
  ];
  for (const [text, redacted] of cases) {
    it(`${text} → ${redacted}`, () => assert.equal(redactUrlCredentials(text), redacted));
  }

  it("a rule's violation carries the redacted message, and a URN only when given one", () => {
    assert.deepStrictEqual(violation("url is https://u:p@intake.example.com/"), {
      kind: "violation",
      message: "url is https://***@intake.example.com/",
    });
    assert.deepStrictEqual(
      violation("open to the world", "urn:pulumi:dev::etl::aws:ec2/securityGroup:SecurityGroup::sg"),
      {
        kind: "violation",
        message: "open to the world",
        urn: "urn:pulumi:dev::etl::aws:ec2/securityGroup:SecurityGroup::sg",
      },
    );
  });

  it("config validation echoes an endpoint URL without its user and password", () => {
    const raw = rawConfigOf("dev");
    (raw.pipelines as unknown[]).push({
      name: "hook",
      destination: {
        type: "http",
        url: "http://intake:hunter2@intake.example.com/v1",
        buffer: { sizeMiB: 4, intervalSeconds: 60 },
      },
    });
    assert.deepEqual(problemsOf(raw), [
      'firehose-etl:pipelines[1].destination.url: must be an https:// URL, got "http://***@intake.example.com/v1"',
    ]);
  });

  it("the policy pack itself reports a URL without its credentials (pulumi preview prints it to CI logs)", async () => {
    const stream = patched(httpEndpointStream(), {
      httpEndpointConfiguration: { url: "http://intake:hunter2@intake.example.com/v1" },
    });
    const messages = await streamViolations(firehoseHttpEndpoint, stream);
    assert.ok(messages.length > 0);
    assert.ok(
      messages.every((m) => !m.includes("hunter2")),
      messages.join("\n"),
    );
    assert.ok(
      messages.some((m) => m.includes('"http://***@intake.example.com/v1"')),
      messages.join("\n"),
    );
  });

  it("the offline check prints policy messages without URL credentials", () => {
    const text = formatViolations({
      resources: [],
      mandatory: 1,
      violations: [
        {
          policy: "firehose-redshift-destination",
          description: "",
          level: "mandatory",
          message: 'clusterJdbcurl is "jdbc:postgresql://admin:s3cret@wg.example:5439/dev"',
        },
      ],
    });
    assert.ok(text.includes('"jdbc:postgresql://***@wg.example:5439/dev"'), text);
    assert.ok(!text.includes("s3cret"));
  });
});
