using Amazon;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// An AWS service Kubes calls: its name in call reports, its SigV4 signing name, and the suffix of its
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> variable (the SDK's service id, upper-cased, spaces as underscores).
/// </summary>
public sealed record AwsService(string Name, string SigningName, string EndpointVariableSuffix, bool IsGlobal)
{
    public static readonly AwsService Iam = new("iam", "iam", "IAM", IsGlobal: true);
    public static readonly AwsService ElasticLoadBalancingV2 = new("elasticloadbalancing", "elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2", IsGlobal: false);
    public static readonly AwsService AutoScaling = new("autoscaling", "autoscaling", "AUTO_SCALING", IsGlobal: false);
    public static readonly AwsService Ec2 = new("ec2", "ec2", "EC2", IsGlobal: false);
    public static readonly AwsService S3 = new("s3", "s3", "S3", IsGlobal: false);
    public static readonly AwsService Sts = new("sts", "sts", "STS", IsGlobal: false);

    public string EndpointVariable => "AWS_ENDPOINT_URL_" + EndpointVariableSuffix;

    /// <summary>The real AWS endpoint for <paramref name="region"/>; a global service has one per partition.</summary>
    public AwsEndpoint DefaultEndpoint(string region)
    {
        var regionEndpoint = RegionEndpoint.GetBySystemName(region);
        var dnsSuffix = regionEndpoint.PartitionDnsSuffix;
        if (!IsGlobal)
            return new AwsEndpoint(new Uri($"https://{SigningName}.{region}.{dnsSuffix}/"), region, "default");
        // IAM: one endpoint per partition, signed for the partition's home region.
        return regionEndpoint.PartitionName switch
        {
            "aws-cn" => new AwsEndpoint(new Uri($"https://{SigningName}.cn-north-1.{dnsSuffix}/"), "cn-north-1", "default"),
            "aws-us-gov" => new AwsEndpoint(new Uri($"https://{SigningName}.us-gov.{dnsSuffix}/"), "us-gov-west-1", "default"),
            _ => new AwsEndpoint(new Uri($"https://{SigningName}.{dnsSuffix}/"), "us-east-1", "default"),
        };
    }

    /// <summary>The region a request to a configured (non-default) endpoint is signed for.</summary>
    public string SigningRegionForConfiguredEndpoint(string region) =>
        IsGlobal ? DefaultEndpoint(region).SigningRegion : region;
}
