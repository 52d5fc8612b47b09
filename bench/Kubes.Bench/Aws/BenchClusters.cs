using Kubes.Controller.Spec;

namespace Kubes.Bench.Aws;

/// <summary>The specs the AWS scenario brings up: the default cluster and the same with 50 nodes.</summary>
public static class BenchClusters
{
    /// <summary>The defaults, with an admin CIDR so that the bastion's rules exist; the image is resolved as 'up' does.</summary>
    public static ClusterSpec Default()
    {
        var spec = ClusterSpecDefaults.Aws("bench", MotoProcess.Region);
        return Valid(spec with { Network = spec.Network with { AdminCidrs = ["203.0.113.0/24"] } });
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
