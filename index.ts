// The Pulumi program: read and validate the stack's config once, then build the platform it describes.
import { buildPlatform } from "./components/platform";
import { loadPulumiSettings } from "./config/pulumi-config";

const { settings, secrets } = loadPulumiSettings();
const platform = buildPlatform(settings, secrets).outputs;

export const streamNames = platform.streamNames;
export const streamArns = platform.streamArns;
export const sourceStreamArn = platform.sourceStreamArn;
export const bucketName = platform.bucketName;
export const dataPrefix = platform.dataPrefix;
export const errorPrefix = platform.errorPrefix;
export const glueDatabase = platform.glueDatabase;
export const glueTable = platform.glueTable;
export const athenaWorkgroup = platform.athenaWorkgroup;
export const athenaPartitionCountQuery = platform.athenaPartitionCountQuery;
export const transformFunctionName = platform.transformFunctionName;
export const alarmTopicArn = platform.alarmTopicArn;
export const replayStateMachineArn = platform.replayStateMachineArn;
