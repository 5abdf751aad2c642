// How `npm run replay` sends a failed record back into a Kinesis-sourced stack: every delivery stream reads the
// same Kinesis stream, so the record travels in an envelope naming the one delivery stream it is for. The
// transform unwraps it there and drops it everywhere else, so the pipelines that had no failure do not deliver it
// a second time. One module for both sides: the replay wraps, the transform unwraps.
import { isJsonObject, JsonObject } from "./json";

/** The envelope's only key: no producer's record has it (a record with it is treated as an envelope). */
export const REPLAY_ENVELOPE_KEY = "__firehose_etl_replay";

/** `{"__firehose_etl_replay": {"stream": <delivery stream name>, "data": <the record's bytes, base64>}}` */
export function wrapForReplay(deliveryStream: string, data: Buffer): Buffer {
  return Buffer.from(
    JSON.stringify({ [REPLAY_ENVELOPE_KEY]: { stream: deliveryStream, data: data.toString("base64") } }),
  );
}

/**
 * What the transform does with a decoded record: `undefined` when it is no envelope (the common case: one property
 * lookup); the original record's base64 when the envelope is for `deliveryStream`; "other" when it is for another
 * stream; "invalid" when the envelope is malformed (the record fails, keeping its bytes in the error prefix).
 */
export function unwrapReplay(
  record: JsonObject,
  deliveryStream: string | undefined,
): { data: string } | "other" | "invalid" | undefined {
  const envelope = record[REPLAY_ENVELOPE_KEY];
  if (envelope === undefined) return undefined;
  if (!isJsonObject(envelope) || typeof envelope.stream !== "string" || typeof envelope.data !== "string")
    return "invalid";
  if (deliveryStream === undefined) return "invalid";
  return envelope.stream === deliveryStream ? { data: envelope.data } : "other";
}

/** The delivery stream's name from the ARN Firehose puts in each transformation event. */
export function deliveryStreamNameOf(arn: unknown): string | undefined {
  return typeof arn === "string" && arn.includes("/") ? arn.slice(arn.lastIndexOf("/") + 1) : undefined;
}
