using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Builds the SigV4 signing stage of a client's HTTP pipeline from AWSSDK.Core's own
/// <see cref="SigV4SigningHandler"/>: it resolves the credentials on every send (so refreshed instance-profile or
/// SSO credentials are used), and adds <c>Authorization</c>, <c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c> and,
/// for session credentials, <c>X-Amz-Security-Token</c>.
/// </summary>
public static class QuerySigning
{
    private static readonly Lazy<SocketsHttpHandler> SharedTransport = new(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    });

    public static HttpMessageHandler CreateHandler(
        AWSCredentials credentials, string signingRegion, string signingName, HttpMessageHandler? transport = null,
        DateTime? signingTime = null)
    {
        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials,
            Region = RegionEndpoint.GetBySystemName(signingRegion),
            Service = signingName,
            SignedAt = signingTime,
        };
        return new SigV4SigningHandler(parameters, transport ?? SharedTransport.Value);
    }
}
