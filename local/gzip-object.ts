// GZIP as the local run writes objects: zlib's default level (6), on libuv's thread pool. Firehose does not
// document its level; 6 is the default of zlib and of Java's GZIPOutputStream.
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);
/** zlib's default 16 KiB output chunks cost a main-thread callback each; measured, 1 MiB chunks remove that. */
// Stryker disable next-line ObjectLiteral: the chunk size changes how the output is handed over, not its bytes
const GZIP_OPTIONS = { chunkSize: 1024 * 1024 };

export function gzipObject(body: Buffer): Promise<Buffer> {
  return gzipAsync(body, GZIP_OPTIONS);
}
