// The engine reports what @pulumi/policy's own analyzer would: the same resources go through the SDK's RPC
// handlers (the functions its gRPC server serves to the Pulumi CLI) and through evaluatePolicies.
import { AnalyzerResource, AnalyzerResourceOptions } from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as assert from "assert";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { evaluatePolicies, PolicyResource } from "../../policy/evaluate";
import { policies } from "../../policy/policies";
import { directPutS3Stream, kmsKey, partitionedParquetStream, snsTopic } from "./fixtures";
import { patched, resource, TYPES, UNKNOWN } from "./helpers";

interface Diagnostic {
  getPolicyname(): string;
  getEnforcementlevel(): number;
  getMessage(): string;
  getDescription(): string;
  getUrn(): string;
}
type Rpc = (
  call: { request: unknown },
  callback: (error: unknown, response?: { getDiagnosticsList(): Diagnostic[] }) => void,
) => Promise<void>;
type RpcFactory = (name: string, version: string, level: string, policies: unknown) => Rpc;

// The SDK's server module is internal (its .d.ts is empty); these two factories are what `serve` wires up.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as {
  makeAnalyzeRpcFun: RpcFactory;
  makeAnalyzeStackRpcFun: RpcFactory;
};

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

type Row = [policy: string, level: string, urn: string, message: string];

function requestResource<T extends { setType(t: string): T }>(message: T, r: PolicyResource): T {
  const target = message as unknown as AnalyzerResource;
  target.setType(r.type);
  target.setUrn(r.urn);
  target.setName(r.name);
  target.setProperties(Struct.fromJavaScript(r.props as Record<string, never>));
  target.setOptions(new AnalyzerResourceOptions());
  return message;
}

async function viaSdk(resources: PolicyResource[]): Promise<Row[]> {
  const call = (rpc: Rpc, request: unknown) =>
    new Promise<Diagnostic[]>((resolve, reject) =>
      rpc({ request }, (error, response) =>
        error ? reject(error) : resolve(response?.getDiagnosticsList() ?? []),
      ),
    );
  const analyze = server.makeAnalyzeRpcFun("firehose-etl", "0.1.0", "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun("firehose-etl", "0.1.0", "advisory", policies);
  // A resource diagnostic carries no URN: the CLI knows which resource it asked about.
  const diagnostics: Array<{ d: Diagnostic; urn: string }> = [];
  for (const r of resources) {
    const found = await call(analyze, requestResource(new analyzerProto.AnalyzeRequest(), r));
    diagnostics.push(...found.map((d) => ({ d, urn: r.urn })));
  }
  const stackRequest = new analyzerProto.AnalyzeStackRequest();
  stackRequest.setResourcesList(resources.map((r) => requestResource(new AnalyzerResource(), r)));
  diagnostics.push(...(await call(analyzeStack, stackRequest)).map((d) => ({ d, urn: d.getUrn() })));
  return diagnostics.map(({ d, urn }) => {
    // The SDK prefixes the description to reported messages, and names the pack in its unknown-value note.
    const message = d.getMessage().startsWith(`${d.getDescription()}\n`)
      ? d.getMessage().slice(d.getDescription().length + 1)
      : d.getMessage().replace(" from policy pack 'firehose-etl@v0.1.0'", "");
    return [d.getPolicyname(), LEVELS[d.getEnforcementlevel()], urn, message];
  });
}

async function viaEngine(resources: PolicyResource[]): Promise<Row[]> {
  return (await evaluatePolicies(resources)).map((v) => [v.policy, v.level, v.urn ?? "", v.message]);
}

describe("engine parity with the @pulumi/policy analyzer", () => {
  it("reports the same violations and unknown-value notes for resource and stack policies", async () => {
    const resources = [
      resource(
        TYPES.stream,
        patched(partitionedParquetStream(), {
          extendedS3Configuration: { bufferingSize: 32, compressionFormat: "GZIP", kmsKeyArn: UNKNOWN },
        }),
        "lake",
      ),
      resource(
        TYPES.stream,
        patched(directPutS3Stream(), { extendedS3Configuration: { prefix: UNKNOWN } }),
        "raw",
      ),
      resource(TYPES.topic, patched(snsTopic(), { kmsMasterKeyId: "alias/aws/sns" })),
      resource(TYPES.kmsKey, patched(kmsKey(), { enableKeyRotation: false })),
      resource(TYPES.bucket, { bucket: "lake-bucket" }, "lake"),
      resource(TYPES.bucketEncryption, { bucket: "other-bucket", rules: [] }, "enc"),
    ];
    const fromSdk = await viaSdk(resources);
    assert.ok(fromSdk.length >= 6, JSON.stringify(fromSdk, null, 1));
    assert.deepEqual(await viaEngine(resources), fromSdk);
  });
});
