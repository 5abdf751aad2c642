/** Reused for every record: encoding through it allocates only the base64 string, not a Buffer per record. */
// Stryker disable next-line ArithmeticOperator: the first size only saves early reallocations; the buffer grows as needed.
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Base64 of `text` as UTF-8 followed by a newline (a JSON Lines line): `Buffer.from(`${text}\n`)`, encoded. */
export function base64Line(text: string): string {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes.
  if (text.length * 3 + 1 > scratch.length) scratch = Buffer.allocUnsafe(text.length * 3 + 1);
  // Stryker disable next-line StringLiteral: Buffer#write reads an empty encoding as utf8.
  const length = scratch.write(text, 0, "utf8");
  scratch[length] = 0x0a;
  return scratch.toString("base64", 0, length + 1);
}
