// The pack's entry point for the Pulumi CLI (`pulumi preview --policy-pack policy`). Constructing the
// PolicyPack starts the analyzer server, so nothing else may import this file.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("firehose-etl", { policies });
