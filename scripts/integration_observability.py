"""Prints, as JSON, what the integration environment's apply created for operating it, read back from the
local AWS endpoint: the alarm topic (and its key), the alarms, the dashboard and the Auto Scaling group's
scaling policies.

Run with the moto virtualenv's Python: integration_observability.py <endpoint> <name-prefix>.
"""
import json
import sys

import boto3

endpoint, prefix = sys.argv[1], sys.argv[2]
kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
client = lambda name: boto3.client(name, **kwargs)  # noqa: E731

sns = client("sns")
topics = {}
for topic in sns.list_topics()["Topics"]:
    arn = topic["TopicArn"]
    if arn.split(":")[-1].startswith(prefix):
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        topics[arn.split(":")[-1]] = {"kms": bool(attributes.get("KmsMasterKeyId")), "policy": bool(attributes.get("Policy"))}

cloudwatch = client("cloudwatch")
alarms = {
    alarm["AlarmName"]: {"actions": alarm.get("AlarmActions", []), "missing": alarm.get("TreatMissingData")}
    for alarm in cloudwatch.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]
}
dashboards = [d["DashboardName"] for d in cloudwatch.list_dashboards(DashboardNamePrefix=prefix)["DashboardEntries"]]

policies = [
    {"name": p["PolicyName"], "type": p["PolicyType"], "metric": p.get("TargetTrackingConfiguration", {}).get("PredefinedMetricSpecification", {}).get("PredefinedMetricType")}
    for p in client("autoscaling").describe_policies()["ScalingPolicies"]
    if p["PolicyName"].startswith(prefix)
]

print(json.dumps({"topics": topics, "alarms": alarms, "dashboards": dashboards, "policies": policies}, sort_keys=True))
