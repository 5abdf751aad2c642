import * as assert from "node:assert/strict";
import * as net from "node:net";
import { Endpoint, startEndpoint, StreamDirectory } from "../../local/endpoint";

const NO_STREAMS: StreamDirectory = { names: () => [], find: () => undefined, findSource: () => undefined };

describe("local: a producer that disconnects mid-request", () => {
  let endpoint: Endpoint;
  const logged: string[] = [];
  const original = { error: console.error, warn: console.warn };

  before(async () => {
    endpoint = await startEndpoint(NO_STREAMS, { port: 0 });
    console.error = console.warn = (...args: unknown[]) => void logged.push(args.map(String).join(" "));
  });
  after(async () => {
    Object.assign(console, original);
    await endpoint.close();
  });

  it("is one log line naming the client and the operation, not a stack trace", async () => {
    const socket = net.connect(endpoint.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(
      "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Firehose_20150804.PutRecordBatch\r\n" +
        "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n" +
        '{"DeliveryStreamName":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    for (let waited = 0; logged.length === 0 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(logged.length, 1, logged.join("\n---\n"));
    assert.match(logged[0], /^\[endpoint\] 127\.0\.0\.1:\d+ disconnected mid-request \(PutRecordBatch\)$/);
  });
});
