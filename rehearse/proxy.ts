// The validation layer: an HTTP proxy between the provider and moto that checks each request of the json,
// query and ec2 protocols against botocore's model of its operation and answers as AWS does when a
// constraint fails; everything else (rest-json: Lambda, OpenSearch; rest-xml: S3; cbor) passes unchecked.
import * as http from "http";
import { AddressInfo } from "net";
import { ModelRegistry, ServiceModel } from "./botocore";
import { checkInput, fromQuery } from "./request-check";

export interface ProxyStats {
  /** Requests checked, by `<protocol>`. */
  readonly checked: Record<string, number>;
  /** Requests forwarded unchecked, by `<signing name> (<why>)`. */
  readonly unchecked: Record<string, number>;
  /** Each rejection: operation and the messages. */
  readonly rejected: { readonly operation: string; readonly problems: string[] }[];
}

export interface ValidationProxy {
  readonly url: string;
  readonly stats: ProxyStats;
  close(): Promise<void>;
}

/** The signing name in `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/firehose/aws4_request`. */
function signingNameOf(req: http.IncomingMessage): string | undefined {
  return /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
}

/** The protocols the layer checks, as the request uses them (CloudWatch's model prefers CBOR, the SDK may not). */
type Wire = "json" | "query" | "ec2";

interface Rejection {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&apos;");
}

/** The error response of each protocol, as AWS sends it for an input that fails validation. */
function rejection(wire: Wire, problems: string[]): Rejection {
  const message = `${problems.length} validation error${problems.length > 1 ? "s" : ""} detected: ${problems.join("; ")}`;
  switch (wire) {
    case "json":
      return {
        status: 400,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "ValidationException" },
        body: JSON.stringify({ __type: "ValidationException", message }),
      };
    case "ec2":
      return {
        status: 400,
        headers: { "content-type": "text/xml" },
        body: `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>InvalidParameterValue</Code><Message>${xmlEscape(message)}</Message></Error></Errors><RequestID>rehearsal</RequestID></Response>`,
      };
    default:
      return {
        status: 400,
        headers: { "content-type": "text/xml" },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>rehearsal</RequestId></ErrorResponse>`,
      };
  }
}

/** The operation and input of a request, when its protocol is one the layer checks. */
function parse(
  registry: ModelRegistry,
  signingName: string,
  req: http.IncomingMessage,
  body: Buffer,
): { model: ServiceModel; wire: Wire; operation: string; input: unknown } | { unchecked: string } {
  const target = req.headers["x-amz-target"];
  const contentType = req.headers["content-type"] ?? "";
  if (typeof target === "string" && contentType.includes("json")) {
    const [prefix, operation] = target.split(".");
    const model = registry.find(signingName, operation, prefix);
    if (!model) return { unchecked: "json, no model" };
    return {
      model,
      wire: "json",
      operation,
      input: body.length > 0 ? JSON.parse(body.toString("utf8")) : {},
    };
  }
  if (req.method === "POST" && contentType.startsWith("application/x-www-form-urlencoded")) {
    const params = new URLSearchParams(body.toString("utf8"));
    const operation = params.get("Action") ?? "";
    const model = registry.find(signingName, operation);
    if (!model) return { unchecked: "query, no model" };
    const wire = model.metadata.protocol === "ec2" ? "ec2" : "query";
    return { model, wire, operation, input: fromQuery(model, operation, params) };
  }
  return { unchecked: contentType.includes("cbor") ? "rpc-v2-cbor" : "rest" };
}

/**
 * The provider revokes the allow-all egress rule AWS gives every new VPC security group; moto 5.2.1 answers
 * InvalidPermission.NotFound for it, so the layer answers as AWS does and moto keeps the rule.
 */
function isDefaultEgressRevoke(operation: string, input: unknown): boolean {
  if (operation !== "RevokeSecurityGroupEgress") return false;
  const permissions = (
    input as { IpPermissions?: { IpProtocol?: string; IpRanges?: { CidrIp?: string }[] }[] }
  ).IpPermissions;
  return (
    permissions?.length === 1 &&
    permissions[0].IpProtocol === "-1" &&
    permissions[0].IpRanges?.length === 1 &&
    permissions[0].IpRanges[0].CidrIp === "0.0.0.0/0"
  );
}

/** Starts the layer on a free loopback port, forwarding to `upstream` (moto). */
export async function startValidationProxy(
  registry: ModelRegistry,
  upstream: string,
): Promise<ValidationProxy> {
  const stats: ProxyStats = { checked: {}, unchecked: {}, rejected: [] };
  const target = new URL(upstream);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const signingName = signingNameOf(req) ?? "unsigned";
      const parsed = parse(registry, signingName, req, body);
      if ("unchecked" in parsed) {
        const key = `${signingName} (${parsed.unchecked})`;
        stats.unchecked[key] = (stats.unchecked[key] ?? 0) + 1;
      } else {
        stats.checked[parsed.wire] = (stats.checked[parsed.wire] ?? 0) + 1;
        const problems = checkInput(parsed.model, parsed.operation, parsed.input);
        if (problems.length > 0) {
          stats.rejected.push({
            operation: `${parsed.model.metadata.serviceId} ${parsed.operation}`,
            problems,
          });
          const { status, headers, body: answer } = rejection(parsed.wire, problems);
          res.writeHead(status, headers).end(answer);
          return;
        }
        if (isDefaultEgressRevoke(parsed.operation, parsed.input)) {
          res
            .writeHead(200, { "content-type": "text/xml" })
            .end(
              "<RevokeSecurityGroupEgressResponse><return>true</return></RevokeSecurityGroupEgressResponse>",
            );
          return;
        }
      }
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      forward.on("error", (err) =>
        res.writeHead(502).end(`validation layer: moto is unreachable: ${err.message}`),
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
