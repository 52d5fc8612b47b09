using System.Text.Json.Nodes;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Aws.Resources;

/// <summary>
/// What an instance may do with the state bucket (moto does not enforce IAM, so the policy document itself is
/// checked): an attacker on one instance must not read, list or overwrite what the coordinator keeps.
/// </summary>
public sealed class IamPoliciesTests
{
    private const string Root = "arn:aws:s3:::kubes-state/clusters/prod";

    private static List<(string Action, string Resource)> S3Grants(InstanceRole role)
    {
        var policy = JsonNode.Parse(IamPolicies.For(role, "prod", "kubes-state", "clusters/prod/"))!;
        var grants = new List<(string, string)>();
        foreach (var statement in policy["Statement"]!.AsArray())
        {
            Assert.Equal("Allow", (string?)statement!["Effect"]);
            foreach (var action in statement["Action"]!.AsArray().Select(a => (string)a!).Where(a => a.StartsWith("s3:")))
            {
                grants.AddRange(statement["Resource"]!.AsArray().Select(r => (action, (string)r!)));
            }
        }
        return grants;
    }

    [Theory]
    [InlineData(InstanceRole.Bastion)]
    [InlineData(InstanceRole.Etcd)]
    [InlineData(InstanceRole.Controller)]
    [InlineData(InstanceRole.Node)]
    public void An_instance_writes_requests_reads_and_deletes_answers_and_reads_artifacts_nothing_else(InstanceRole role)
    {
        Assert.Equal(
        [
            ("s3:DeleteObject", $"{Root}/mailbox/responses/*"),
            ("s3:GetObject", $"{Root}/artifacts/*"),
            ("s3:GetObject", $"{Root}/mailbox/responses/*"),
            ("s3:PutObject", $"{Root}/mailbox/requests/*"),
        ], S3Grants(role).Order());
    }

    [Fact]
    public void No_instance_may_list_the_bucket_and_so_find_another_instances_answers()
    {
        foreach (var role in Enum.GetValues<InstanceRole>())
        {
            Assert.DoesNotContain(S3Grants(role), grant => grant.Action is "s3:ListBucket" or "s3:*" || grant.Resource.EndsWith("kubes-state"));
        }
    }

    /// <summary>Every statement of the node's policy that grants <paramref name="action"/>, with its resources and condition.</summary>
    private static List<JsonNode> NodeStatements(string action) =>
    [
        .. JsonNode.Parse(IamPolicies.For(InstanceRole.Node, "prod", "kubes-state", "clusters/prod/"))!["Statement"]!.AsArray()
            .Where(s => s!["Action"]!.AsArray().Any(a => (string?)a == action)).Select(s => s!),
    ];

    [Theory]
    [InlineData("ec2:DeleteVolume")]
    [InlineData("ec2:ModifyVolume")]
    [InlineData("ec2:DeleteSnapshot")]
    public void A_node_changes_or_deletes_only_what_the_ebs_csi_driver_made(string action)
    {
        var statement = Assert.Single(NodeStatements(action));

        Assert.Equal("true", (string?)statement["Condition"]!["StringEquals"]![$"aws:ResourceTag/{IamPolicies.EbsCsiVolumeTag}"]);
    }

    [Fact]
    public void A_node_cannot_detach_an_etcd_members_data_volume_which_the_driver_did_not_make()
    {
        var spec = Kubes.Controller.Spec.ClusterSpecDefaults.Aws("prod");
        var volume = AwsClusterModel.Build(ClusterTopology.From(spec), new StateStoreLocation("kubes-state", "clusters/prod/"))
            .OfType<DataVolumeResource>().First();

        Assert.DoesNotContain(IamPolicies.EbsCsiVolumeTag, volume.Tags.Keys);
        Assert.All(NodeStatements("ec2:DetachVolume"), statement =>
        {
            var resources = statement["Resource"]!.AsArray().Select(r => (string)r!).ToList();
            var tag = statement["Condition"]!["StringEquals"]!.AsObject().Single().Key;
            Assert.True(resources.All(r => r.Contains(":instance/")) ? tag == "aws:ResourceTag/kubernetes.io/cluster/prod" : tag == $"aws:ResourceTag/{IamPolicies.EbsCsiVolumeTag}",
                statement.ToJsonString());
        });
    }

    [Fact]
    public void A_node_creates_only_volumes_and_snapshots_that_carry_the_drivers_tag_and_tags_nothing_else()
    {
        var create = NodeStatements("ec2:CreateVolume").Single();
        var tags = NodeStatements("ec2:CreateTags").Single();

        Assert.Equal("true", (string?)create["Condition"]!["StringEquals"]![$"aws:RequestTag/{IamPolicies.EbsCsiVolumeTag}"]);
        Assert.Equal(["CreateVolume", "CreateSnapshot"], tags["Condition"]!["StringEquals"]!["ec2:CreateAction"]!.AsArray().Select(a => (string)a!));
    }
}
