// What a pipeline's objects cost in the lake: one S3 PUT per object, storage per class over the lifecycle rules
// (data moves to `transitionStorageClass` after `transitionDays`; COPY staging objects expire after
// `errorRetentionDays`), the lifecycle transitions, and the KMS requests S3 makes for SSE-KMS with bucket keys.
// Sources: the S3 and KMS pricing pages.
import { Meter, HOURS_PER_MONTH, priced } from "../meter";
import { PipelineContext, gbOf } from "../pipeline-context";

const DAYS_PER_MONTH = HOURS_PER_MONTH / 24;

/** S3 Bucket Keys cut the KMS requests of SSE-KMS "by up to 99%" (S3 user guide); we assume the full 99%. */
export const BUCKET_KEY_KMS_REQUEST_SHARE = 0.01;

const STORAGE_PRICE = {
  STANDARD: "s3-storage-standard",
  STANDARD_IA: "s3-storage-standard-ia",
  INTELLIGENT_TIERING: "s3-storage-intelligent-tiering",
  GLACIER_IR: "s3-storage-glacier-ir",
} as const;

/** Days an object stays in STANDARD, then in the transition class, before it expires (Infinity: never). */
function lifecycleOf(ctx: PipelineContext): { standardDays: number; transitionDays: number } {
  const lake = ctx.stack.lake;
  switch (ctx.pipeline.destination.type) {
    case "s3":
      return lake.transitionDays === undefined
        ? { standardDays: Infinity, transitionDays: 0 }
        : { standardDays: lake.transitionDays, transitionDays: Infinity };
    case "redshift":
      return { standardDays: lake.errorRetentionDays, transitionDays: 0 };
    default:
      return { standardDays: Infinity, transitionDays: 0 };
  }
}

export function storageMeters(ctx: PipelineContext): Meter[] {
  if (!ctx.objects) return [];
  const { table } = ctx;
  const gbPerDay = gbOf(ctx.bytesWrittenPerMonth) / DAYS_PER_MONTH;
  // In month `storageMonth`, objects up to that many months old are held.
  const ageDays = ctx.storageMonth * DAYS_PER_MONTH;
  const { standardDays, transitionDays } = lifecycleOf(ctx);
  const inStandard = Math.min(ageDays, standardDays);
  const inTransition = Math.min(ageDays, standardDays + transitionDays) - inStandard;
  const meters = [
    priced(table, "s3-put-requests", "s3-put-requests", ctx.objectsPerMonth),
    priced(table, "s3-storage-standard", STORAGE_PRICE.STANDARD, gbPerDay * inStandard),
  ];
  if (transitionDays > 0) {
    const storageClass = ctx.stack.lake.transitionStorageClass;
    const meter = `s3-storage-${storageClass.toLowerCase().replace(/_/g, "-")}`;
    meters.push(priced(table, meter, STORAGE_PRICE[storageClass], gbPerDay * inTransition));
    // Once objects are old enough to move, a month's worth of objects moves every month.
    const moving = ageDays > standardDays ? ctx.objectsPerMonth : 0;
    meters.push(priced(table, "s3-lifecycle-transitions", "s3-lifecycle-transitions", moving));
  }
  meters.push(
    priced(table, "kms-requests", "kms-requests", ctx.objectsPerMonth * BUCKET_KEY_KMS_REQUEST_SHARE),
  );
  return meters;
}
