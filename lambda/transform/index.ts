import { createHandler } from "./handler";

/** The Lambda entry point: configured only by the function's environment variables. */
export const handler = createHandler({ env: process.env });
