using System.Text.Json;
using System.Text.Json.Nodes;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>The least-privilege inline policy of each instance role.</summary>
public static class IamPolicies
{
    public static string AssumeRoleForEc2 => Serialize(new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "ec2.amazonaws.com" },
            ["Action"] = "sts:AssumeRole",
        }),
    });

    public static string For(InstanceRole role, string cluster, string bucket, string prefix)
    {
        var root = string.IsNullOrEmpty(prefix) ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{prefix.Trim('/')}";
        var statements = new JsonArray
        {
            // The agent's mailbox: it writes requests, reads its answers and deletes each once read (an answer
            // carries its credential). It cannot list, so it cannot find another instance's answers: their names
            // hold the request id, 80 random bits the agent chose.
            Allow(["s3:PutObject"], [$"{root}/mailbox/requests/*"]),
            Allow(["s3:GetObject"], [$"{root}/mailbox/responses/*", $"{root}/artifacts/*"]),
            Allow(["s3:DeleteObject"], [$"{root}/mailbox/responses/*"]),
            Allow(["ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeTags"], ["*"]),
        };
        switch (role)
        {
            case InstanceRole.Controller:
                // The cloud controller manager: load balancers, routes and volumes for Services and PVs.
                statements.Add(Allow(
                [
                    "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeRouteTables", "ec2:DescribeVpcs",
                    "ec2:DescribeAvailabilityZones", "ec2:CreateSecurityGroup", "ec2:CreateTags",
                    "elasticloadbalancing:Describe*", "elasticloadbalancing:CreateLoadBalancer",
                    "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:CreateListener",
                    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
                ], ["*"]));
                statements.Add(AllowTagged(
                [
                    "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup",
                    "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup",
                    "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyLoadBalancerAttributes",
                ], cluster));
                break;
            case InstanceRole.Node:
                // The EBS CSI driver, limited to volumes it tags for this cluster.
                statements.Add(Allow(["ec2:CreateVolume", "ec2:CreateSnapshot", "ec2:DescribeSnapshots",
                    "ec2:DescribeAvailabilityZones"], ["*"]));
                statements.Add(Allow(["ec2:CreateTags"], ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:snapshot/*"]));
                statements.Add(AllowTagged(["ec2:AttachVolume", "ec2:DetachVolume", "ec2:DeleteVolume",
                    "ec2:DeleteSnapshot", "ec2:ModifyVolume"], cluster));
                break;
        }
        return Serialize(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements });
    }

    private static JsonObject Allow(string[] actions, string[] resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
        ["Resource"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
    };

    private static JsonObject AllowTagged(string[] actions, string cluster)
    {
        var statement = Allow(actions, ["*"]);
        statement["Condition"] = new JsonObject
        {
            ["StringEquals"] = new JsonObject { [$"aws:ResourceTag/{ClusterTags.KubernetesOwnership(cluster)}"] = "owned" },
        };
        return statement;
    }

    private static string Serialize(JsonObject document) => document.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
