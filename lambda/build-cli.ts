import * as path from "node:path";
import { writeTransformBundle } from "./bundle";

// `npm run build`: writes the deployable bundle and reports its size.
const { outfile, bytes } = writeTransformBundle();
console.log(`${path.relative(process.cwd(), outfile)}  ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB)`);
