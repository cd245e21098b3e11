"""Builds, in the local AWS endpoint, what the console built for staging (a cluster, an Auto Scaling group
with its launch template and the capacity provider the console's wizard puts on it, the DAEMON service and
its task definition, the ECR repository and the execution role), named as the `local` environment names
them, and prints their ids as JSON for the adoption plan.

Run with the moto virtualenv's Python: integration_console.py <endpoint>.
"""
import json
import sys

import boto3

endpoint = sys.argv[1]
kwargs = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
client = lambda name: boto3.client(name, **kwargs)  # noqa: E731

ec2 = client("ec2")
vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
subnets = [
    ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
    for i, zone in enumerate(["us-east-1a", "us-east-1b"])
]
group_id = ec2.create_security_group(GroupName="console-ecs-tasks", Description="console-built", VpcId=vpc)["GroupId"]
template = ec2.create_launch_template(
    LaunchTemplateName="ECSLaunchTemplate_console",
    LaunchTemplateData={"ImageId": "ami-0e9271c829888680e", "InstanceType": "c6g.xlarge"},
)["LaunchTemplate"]["LaunchTemplateId"]

group = "Infra-ECS-Cluster-myslp-local-cluster-console-ECSAutoScalingGroup"
autoscaling = client("autoscaling")
autoscaling.create_auto_scaling_group(
    AutoScalingGroupName=group,
    LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
    MinSize=1,
    MaxSize=1,
    DesiredCapacity=1,
    VPCZoneIdentifier=",".join(subnets),
)
group_arn = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])["AutoScalingGroups"][0]["AutoScalingGroupARN"]

iam = client("iam")
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="myslp-local-task-execution", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]

client("ecr").create_repository(repositoryName="myslp2024-aarch64")

ecs = client("ecs")
ecs.create_cluster(clusterName="myslp-local-cluster")
# The console's wizard puts its own capacity provider on the group it creates; associating a capacity
# provider tags the group AmazonECSManaged (moto does not, so this script does what ECS does).
capacity_provider = "Infra-ECS-Cluster-myslp-local-cluster-console-EC2CapacityProvider"
ecs.create_capacity_provider(
    name=capacity_provider,
    autoScalingGroupProvider={"autoScalingGroupArn": group_arn, "managedScaling": {"status": "ENABLED", "targetCapacity": 100}, "managedTerminationProtection": "DISABLED"},
)
ecs.put_cluster_capacity_providers(
    cluster="myslp-local-cluster",
    capacityProviders=[capacity_provider],
    defaultCapacityProviderStrategy=[{"capacityProvider": capacity_provider, "weight": 1}],
)
autoscaling.create_or_update_tags(
    Tags=[{"ResourceId": group, "ResourceType": "auto-scaling-group", "Key": "AmazonECSManaged", "Value": "", "PropagateAtLaunch": True}]
)
ecs.register_task_definition(
    family="slp_saas_local",
    requiresCompatibilities=["EC2"],
    networkMode="awsvpc",
    cpu="3 vCPU",
    memory="6 GB",
    executionRoleArn=role,
    containerDefinitions=[{"name": "slp_saas", "image": "744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:local", "essential": True}],
)
ecs.create_service(
    cluster="myslp-local-cluster",
    serviceName="myslp-local-service",
    taskDefinition="slp_saas_local:1",
    schedulingStrategy="DAEMON",
    launchType="EC2",
    networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group_id], "assignPublicIp": "DISABLED"}},
)

print(json.dumps({
    "cluster": "arn:aws:ecs:us-east-1:744590032041:cluster/myslp-local-cluster",
    "autoScalingGroup": group,
    "launchTemplate": template,
    "service": "myslp-local-cluster/myslp-local-service",
    "imageRepository": "myslp2024-aarch64",
    "executionRole": "myslp-local-task-execution",
    # Not an adopt key by default: the runbook's step 2 looks it up and adds it.
    "consoleCapacityProvider": capacity_provider,
}))
