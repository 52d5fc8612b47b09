namespace Kubes.Controller.Aws.Query;

/// <summary>Where requests for one service go, the region they are signed for, and which setting chose the URL.</summary>
public sealed record AwsEndpoint(Uri Url, string SigningRegion, string Source)
{
    public bool IsConfigured => Source != "default";
}
