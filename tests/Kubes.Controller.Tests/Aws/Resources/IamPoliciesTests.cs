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
}
