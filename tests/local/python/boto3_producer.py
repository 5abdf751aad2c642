"""Talks to the local Firehose endpoint with boto3, changing nothing but endpoint_url, and prints what it saw.

Usage: python3 boto3_producer.py <endpoint url> <stream name> <records file>
The records file holds one record per line (its newline is part of the record).
"""
import json
import sys

import boto3


def error_code(call):
    try:
        call()
    except boto3.session.botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"]
    return None


def main():
    url, stream, records_file = sys.argv[1:4]
    client = boto3.client(
        "firehose",
        endpoint_url=url,
        region_name="eu-west-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    with open(records_file, "rb") as f:
        records = f.read().splitlines(keepends=True)
    seen = {}
    seen["streams"] = client.list_delivery_streams()["DeliveryStreamNames"]
    description = client.describe_delivery_stream(DeliveryStreamName=stream)
    seen["status"] = description["DeliveryStreamDescription"]["DeliveryStreamStatus"]
    seen["putRecordId"] = client.put_record(DeliveryStreamName=stream, Record={"Data": records[0]})["RecordId"]
    batch = client.put_record_batch(DeliveryStreamName=stream, Records=[{"Data": r} for r in records[1:]])
    seen["batchFailed"] = batch["FailedPutCount"]
    seen["batchRecordIds"] = [r.get("RecordId") for r in batch["RequestResponses"]]
    seen["tooManyRecords"] = error_code(
        lambda: client.put_record_batch(DeliveryStreamName=stream, Records=[{"Data": b"{}\n"}] * 501)
    )
    # Five records of 1,000,000 bytes: each within the 1,000 KiB limit, together over the 4 MiB one.
    seen["overFourMiB"] = error_code(
        lambda: client.put_record_batch(DeliveryStreamName=stream, Records=[{"Data": b"x" * 1_000_000}] * 5)
    )
    seen["unknownStream"] = error_code(
        lambda: client.put_record(DeliveryStreamName="no-such-stream", Record={"Data": records[0]})
    )
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
