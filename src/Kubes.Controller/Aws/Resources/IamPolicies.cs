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
                foreach (var statement in EbsCsiDriver(cluster)) statements.Add(statement);
                break;
        }
        return Serialize(new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements });
    }

    /// <summary>The tag the EBS CSI driver puts on every volume and snapshot it makes (and only those).</summary>
    public const string EbsCsiVolumeTag = "ebs.csi.aws.com/cluster";

    private const string Volumes = "arn:aws:ec2:*:*:volume/*";
    private const string Snapshots = "arn:aws:ec2:*:*:snapshot/*";

    /// <summary>
    /// The EBS CSI driver, which runs on nodes with their instance profile, as its documentation asks and no more: it
    /// creates volumes and snapshots only carrying its own tag, tags only what it is creating, and attaches, detaches,
    /// changes and deletes only volumes and snapshots carrying that tag, on instances of this cluster. A node can
    /// therefore never detach or delete an etcd member's data volume, which the driver did not make.
    /// </summary>
    private static IEnumerable<JsonObject> EbsCsiDriver(string cluster) =>
    [
        Allow(["ec2:DescribeAvailabilityZones", "ec2:DescribeSnapshots", "ec2:DescribeVolumesModifications"], ["*"]),
        When(Allow(["ec2:CreateVolume", "ec2:CreateSnapshot"], [Volumes, Snapshots]), "StringEquals", $"aws:RequestTag/{EbsCsiVolumeTag}", "true"),
        When(Allow(["ec2:CreateSnapshot"], [Volumes]), "StringEquals", $"aws:ResourceTag/{EbsCsiVolumeTag}", "true"),
        When(Allow(["ec2:CreateTags"], [Volumes, Snapshots]), "StringEquals", "ec2:CreateAction", new JsonArray("CreateVolume", "CreateSnapshot")),
        When(Allow(["ec2:AttachVolume", "ec2:DetachVolume"], ["arn:aws:ec2:*:*:instance/*"]),
            "StringEquals", $"aws:ResourceTag/{ClusterTags.KubernetesOwnership(cluster)}", "owned"),
        When(Allow(["ec2:AttachVolume", "ec2:DetachVolume", "ec2:ModifyVolume", "ec2:DeleteVolume", "ec2:DeleteSnapshot"], [Volumes, Snapshots]),
            "StringEquals", $"aws:ResourceTag/{EbsCsiVolumeTag}", "true"),
    ];

    private static JsonObject When(JsonObject statement, string test, string key, JsonNode value)
    {
        statement["Condition"] = new JsonObject { [test] = new JsonObject { [key] = value } };
        return statement;
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
