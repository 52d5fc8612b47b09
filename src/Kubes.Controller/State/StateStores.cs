namespace Kubes.Controller.State;

/// <summary>Opens the state store a location names: <c>s3://bucket/prefix</c> or a folder.</summary>
public static class StateStores
{
    public static IStateStore Open(string location, string? region = null, string? kmsKeyId = null)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArgumentException("The state store location is empty: set the spec's stateStore or pass --state-store.",
                nameof(location));
        }
        return S3StateLocation.IsS3(location)
            ? new S3StateStore(S3StateStore.CreateClient(region), S3StateLocation.Parse(location), kmsKeyId)
            : new FolderStateStore(location);
    }
}
