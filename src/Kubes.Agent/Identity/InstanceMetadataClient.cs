using System.Net.Http.Headers;

namespace Kubes.Agent.Identity;

/// <summary>
/// IMDSv2: a session token from <c>PUT /latest/api/token</c>, then metadata reads carrying it. The base
/// address comes from <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> like the AWS SDKs, so the local provider
/// can give each instance its own metadata service.
/// </summary>
public sealed class InstanceMetadataClient(HttpClient http)
{
    public const string EndpointVariable = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
    public const string DefaultEndpoint = "http://169.254.169.254/";
    private const int TokenTtlSeconds = 21600;

    private string? _token;

    public static Uri EndpointFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EndpointVariable);
        var text = string.IsNullOrWhiteSpace(value) ? DefaultEndpoint : value;
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    public Task<string> GetInstanceIdAsync(CancellationToken cancellationToken) =>
        GetAsync("latest/meta-data/instance-id", cancellationToken);

    public Task<string> GetPrivateIpAsync(CancellationToken cancellationToken) =>
        GetAsync("latest/meta-data/local-ipv4", cancellationToken);

    public Task<string> GetAvailabilityZoneAsync(CancellationToken cancellationToken) =>
        GetAsync("latest/meta-data/placement/availability-zone", cancellationToken);

    /// <summary>
    /// The instance profile's current credentials, as EC2 serves them to the SDKs: the role named under
    /// <c>iam/security-credentials/</c>, then its document.
    /// </summary>
    public async Task<InstanceProfileCredentials> GetInstanceProfileCredentialsAsync(CancellationToken cancellationToken)
    {
        const string folder = "latest/meta-data/iam/security-credentials/";
        var role = (await GetAsync(folder, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? throw new HttpRequestException(
                $"instance metadata {http.BaseAddress}{folder} names no role: the instance needs an instance profile");
        return InstanceProfileCredentials.Parse(await GetAsync(folder + role, cancellationToken), role);
    }

    private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
    {
        var token = _token ??= await GetTokenAsync(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-aws-ec2-metadata-token", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            _token = null;
        }

        await EnsureSuccessAsync(response, path, cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
    }

    private async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", TokenTtlSeconds.ToString());
        request.Content = new ByteArrayContent([]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, "latest/api/token", cancellationToken);
        return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"instance metadata {http.BaseAddress}{path} answered {(int)response.StatusCode}: {body.Trim()}. " +
                "The instance needs IMDSv2 reachable (hop limit 1 is enough on the instance itself).",
                null, response.StatusCode);
        }
    }
}
