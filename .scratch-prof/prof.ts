const t0 = Date.now();
import("../offline/check-stack").then(async (m) => {
  const t1 = Date.now();
  const { loadStackFile, stackFilePath, readStackFile } = await import("../config/stack-file");
  const { evaluateStack } = await import("../offline/evaluate-stack");
  const file = stackFilePath("prod");
  const settings = loadStackFile(file);
  const t2 = Date.now();
  const ev = await evaluateStack(settings, m.placeholderSecrets(readStackFile(file).raw));
  const t3 = Date.now();
  const r = await m.checkStack(settings, m.placeholderSecrets(readStackFile(file).raw), {});
  const t4 = Date.now();
  console.log({ require: t1 - t0, load: t2 - t1, evaluate: t3 - t2, checkTotal: t4 - t3, n: ev.resources.length, m: r.mandatory });
});
