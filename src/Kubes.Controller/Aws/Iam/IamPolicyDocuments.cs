namespace Kubes.Controller.Aws.Iam;

/// <summary>Policy documents and names Kubes gives its IAM resources.</summary>
public static class IamPolicyDocuments
{
    /// <summary>Lets EC2 instances assume the role (through an instance profile).</summary>
    public const string Ec2AssumeRole =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>
    /// The IAM path under which every role and instance profile of cluster <paramref name="clusterName"/> lives,
    /// <c>/kubes/&lt;cluster&gt;/</c>: IAM can list by path prefix, which finds them even without tags.
    /// </summary>
    public static string ClusterPath(string clusterName)
    {
        if (string.IsNullOrWhiteSpace(clusterName) || clusterName.Any(c => c is '/' or < '!' or > '~'))
            throw new ArgumentException(
                $"Cluster name '{clusterName}' cannot be part of an IAM path: use printable ASCII without '/' or spaces.",
                nameof(clusterName));
        return $"/kubes/{clusterName}/";
    }
}
