using Kubes.Controller.Spec;

namespace Kubes.Bench.Aws;

/// <summary>The specs the AWS scenario brings up: the default cluster and the same with 50 nodes.</summary>
public static class BenchClusters
{
    /// <summary>An image moto bundles; asking moto for the newest Ubuntu costs over a second per DescribeImages.</summary>
    public const string Image = "ami-1e749f67";

    public static ClusterSpec Default()
    {
        var spec = ClusterSpecDefaults.Aws("bench", MotoProcess.Region);
        return Valid(spec with
        {
            Image = Image,
            Network = spec.Network with { AdminCidrs = ["203.0.113.0/24"] },
        });
    }

    public static ClusterSpec WithNodes(int nodes)
    {
        var spec = Default();
        return Valid(spec with { Nodes = spec.Nodes with { Count = nodes, Max = Math.Max(nodes, spec.Nodes.Max) } });
    }

    private static ClusterSpec Valid(ClusterSpec spec)
    {
        var problems = SpecValidator.Validate(spec);
        return problems.Count == 0
            ? spec
            : throw new InvalidOperationException("the bench spec is invalid: " + string.Join("; ", problems));
    }
}
