namespace Kubes.Controller.Aws.Query;

/// <summary>How a service pages a list: the request's token and page-size parameters and the response's token element.</summary>
public sealed record QueryPaging(string RequestToken, string ResponseToken, string PageSizeParameter)
{
    /// <summary>IAM: <c>Marker</c> in and out (present only while <c>IsTruncated</c>), <c>MaxItems</c>.</summary>
    public static readonly QueryPaging Iam = new("Marker", "Marker", "MaxItems");
    /// <summary>ELBv2: <c>Marker</c> in, <c>NextMarker</c> out, <c>PageSize</c>.</summary>
    public static readonly QueryPaging ElasticLoadBalancingV2 = new("Marker", "NextMarker", "PageSize");
    /// <summary>Auto Scaling: <c>NextToken</c> in and out, <c>MaxRecords</c>.</summary>
    public static readonly QueryPaging AutoScaling = new("NextToken", "NextToken", "MaxRecords");
}
