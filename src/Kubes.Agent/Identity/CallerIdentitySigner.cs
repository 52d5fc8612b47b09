using System.Net.Http.Headers;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Google.Protobuf;
using Kubes.Protos.V1;

namespace Kubes.Agent.Identity;

/// <summary>
/// Makes the STS proof of who this instance is: a POST of sts:GetCallerIdentity to <paramref name="stsEndpoint"/>, signed
/// (SigV4, AWSSDK.Core's own signer) with the instance profile's credentials, the cluster's name in a signed header. It is
/// not sent: the coordinator replays it to STS and learns the role and instance id from AWS.
/// </summary>
public sealed class CallerIdentitySigner(Uri stsEndpoint, string region, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<SignedCallerIdentity> SignAsync(InstanceProfileCredentials credentials, string cluster,
        CancellationToken cancellationToken)
    {
        var capture = new SignedRequestCapture();
        var parameters = new AWSSigV4Parameters
        {
            Credentials = credentials.Token.Length > 0
                ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.Token)
                : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
            Region = RegionEndpoint.GetBySystemName(region),
            Service = "sts",
            SignedAt = _time.GetUtcNow().UtcDateTime,
        };
        using var signer = new HttpMessageInvoker(new SigV4SigningHandler(parameters, capture));
        using var request = new HttpRequestMessage(HttpMethod.Post, stsEndpoint);
        request.Headers.Add(CallerIdentityProof.ClusterHeader, cluster);
        request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(CallerIdentityProof.Body));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(CallerIdentityProof.ContentType);
        using var _ = await signer.SendAsync(request, cancellationToken);

        var signed = capture.Request ?? throw new InvalidOperationException("the SigV4 signer passed no request on");
        var proof = new SignedCallerIdentity
        {
            Url = stsEndpoint.ToString(),
            Body = ByteString.CopyFromUtf8(CallerIdentityProof.Body),
        };
        foreach (var (name, values) in signed.Headers.Concat(signed.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>()))
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            proof.Headers[name] = string.Join(", ", values);
        }
        return proof;
    }

    /// <summary>The end of the signing pipeline: keeps the signed request instead of sending it.</summary>
    private sealed class SignedRequestCapture : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
        }
    }
}
