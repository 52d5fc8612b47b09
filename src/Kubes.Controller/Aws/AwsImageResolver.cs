using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Aws;

/// <summary>The AMI instances boot: the spec's, or the newest Canonical Ubuntu 24.04 LTS (amd64, gp3) of the region.</summary>
public static class AwsImageResolver
{
    public const string CanonicalOwner = "099720109477";
    public const string UbuntuNobleNamePattern = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";

    public static async Task<string> ResolveAsync(IAmazonEC2 ec2, ClusterSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Image.Length > 0) return spec.Image;
        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest
        {
            Owners = [CanonicalOwner],
            Filters =
            [
                new Filter { Name = "name", Values = [UbuntuNobleNamePattern] },
                new Filter { Name = "state", Values = ["available"] },
                new Filter { Name = "architecture", Values = ["x86_64"] },
            ],
        }, cancellationToken);
        var newest = (response.Images ?? []).OrderByDescending(i => i.CreationDate, StringComparer.Ordinal).FirstOrDefault();
        return newest?.ImageId ?? throw new AwsConfigurationException(
            $"no Canonical Ubuntu 24.04 LTS image is visible in {spec.Region}; set spec.image to an AMI id");
    }
}
