"""Lists what the integration environment left in the local AWS endpoint: one line per live resource.

Run with the moto virtualenv's Python: integration_leftovers.py <endpoint> <name-fragment>.
Deleted-but-retained things count as gone: KMS keys pending deletion, secrets scheduled for deletion,
INACTIVE task definitions, terminated instances.
"""
import sys

import boto3

endpoint, fragment = sys.argv[1], sys.argv[2]
kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
client = lambda name: boto3.client(name, **kwargs)  # noqa: E731
left = []

ecs = client("ecs")
for cluster in ecs.describe_clusters(clusters=ecs.list_clusters()["clusterArns"])["clusters"] if ecs.list_clusters()["clusterArns"] else []:
    if fragment in cluster["clusterName"] and cluster["status"] == "ACTIVE":
        left.append(f"ecs cluster {cluster['clusterName']}")
        for arn in ecs.list_services(cluster=cluster["clusterArn"])["serviceArns"]:
            left.append(f"ecs service {arn}")
# moto answers DescribeCapacityProviders without names with a 500, so ask for ours by name.
for provider in ecs.describe_capacity_providers(capacityProviders=[f"{fragment}-arm64"])["capacityProviders"]:
    if fragment in provider["name"] and provider.get("status") == "ACTIVE":
        left.append(f"ecs capacity provider {provider['name']}")
for arn in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"]:
    if fragment.replace("myslp-", "slp_saas_") in arn:
        left.append(f"ecs task definition {arn}")

for repository in client("ecr").describe_repositories()["repositories"]:
    if repository["repositoryName"] == "myslp2024-aarch64":
        left.append(f"ecr repository {repository['repositoryName']}")

for group in client("autoscaling").describe_auto_scaling_groups()["AutoScalingGroups"]:
    if fragment in group["AutoScalingGroupName"]:
        left.append(f"auto scaling group {group['AutoScalingGroupName']}")

ec2 = client("ec2")
for template in ec2.describe_launch_templates()["LaunchTemplates"]:
    if any(t["Key"] == "Environment" and fragment.endswith(t["Value"]) for t in template.get("Tags", [])) or fragment in template["LaunchTemplateName"]:
        left.append(f"launch template {template['LaunchTemplateId']}")
for vpc in ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [f"{fragment}*"]}])["Vpcs"]:
    left.append(f"vpc {vpc['VpcId']}")
for group in ec2.describe_security_groups()["SecurityGroups"]:
    if group["GroupName"].startswith(fragment):
        left.append(f"security group {group['GroupName']}")
for gateway in ec2.describe_nat_gateways()["NatGateways"]:
    if gateway["State"] not in ("deleted", "deleting") and any(t["Value"].startswith(fragment) for t in gateway.get("Tags", [])):
        left.append(f"nat gateway {gateway['NatGatewayId']}")

iam = client("iam")
for role in iam.list_roles()["Roles"]:
    if role["RoleName"].startswith(fragment):
        left.append(f"iam role {role['RoleName']}")
for profile in iam.list_instance_profiles()["InstanceProfiles"]:
    if profile["InstanceProfileName"].startswith(fragment):
        left.append(f"instance profile {profile['InstanceProfileName']}")

for bucket in client("s3").list_buckets()["Buckets"]:
    if bucket["Name"].startswith(fragment):
        left.append(f"s3 bucket {bucket['Name']}")

kms = client("kms")
for key in kms.list_keys()["Keys"]:
    meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
    if fragment in meta.get("Description", "") and meta["KeyState"] != "PendingDeletion":
        left.append(f"kms key {key['KeyId']} ({meta['KeyState']})")

for secret in client("secretsmanager").list_secrets()["SecretList"]:
    if secret["Name"].startswith(fragment.replace("-", "/")) and "DeletedDate" not in secret:
        left.append(f"secret {secret['Name']}")

for group in client("logs").describe_log_groups()["logGroups"]:
    if fragment.replace("myslp-", "slp_saas_") in group["logGroupName"]:
        left.append(f"log group {group['logGroupName']}")

for topic in client("sns").list_topics()["Topics"]:
    if topic["TopicArn"].split(":")[-1].startswith(fragment):
        left.append(f"sns topic {topic['TopicArn']}")
cloudwatch = client("cloudwatch")
for alarm in cloudwatch.describe_alarms(AlarmNamePrefix=fragment)["MetricAlarms"]:
    left.append(f"alarm {alarm['AlarmName']}")
for dashboard in cloudwatch.list_dashboards(DashboardNamePrefix=fragment)["DashboardEntries"]:
    left.append(f"dashboard {dashboard['DashboardName']}")

print("\n".join(left))
