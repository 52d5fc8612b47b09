using Amazon;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.S3;
using Amazon.SecurityToken;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws;

/// <summary>
/// Where and as whom Kubes calls AWS: credentials, region and, per service, the endpoint. One set of rules serves the
/// Query clients (IAM, ELBv2, Auto Scaling) and the SDK clients (EC2, S3, STS), so a test that points
/// <c>AWS_ENDPOINT_URL</c> at an emulator moves every call there.
/// </summary>
public sealed class AwsEnvironment
{
    private readonly Func<string, string?> variables;

    /// <param name="credentials">Used to sign every request; resolved again on each request, so refreshing credentials work.</param>
    /// <param name="region">The region the cluster lives in.</param>
    /// <param name="variables">Reads an environment variable (the endpoint settings).</param>
    /// <param name="regionSource">Which setting chose <paramref name="region"/>, for messages.</param>
    public AwsEnvironment(AWSCredentials credentials, string region, Func<string, string?> variables, string regionSource = "given")
    {
        if (string.IsNullOrWhiteSpace(region))
            throw new AwsConfigurationException("No AWS region given. Set the spec's region, or AWS_REGION.");
        Credentials = credentials;
        Region = region;
        RegionSource = regionSource;
        this.variables = variables;
    }

    public AWSCredentials Credentials { get; }
    public string Region { get; }
    public string RegionSource { get; }

    /// <summary>
    /// The process's AWS settings. Credentials: the SDK's default chain (environment variables, <c>AWS_PROFILE</c>
    /// and the shared files, SSO, container and instance-profile credentials). Region: <paramref name="region"/>
    /// (the spec's: the cluster lives there whatever the shell says), else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>,
    /// then the profile's region.
    /// </summary>
    public static AwsEnvironment FromProcess(string? region = null)
    {
        var (resolvedRegion, source) = ResolveRegion(region, Environment.GetEnvironmentVariable, new CredentialProfileStoreChain());
        AWSCredentials credentials;
        try
        {
            credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException exception)
        {
            throw new AwsConfigurationException(
                "No AWS credentials found. Set AWS_PROFILE (after 'aws configure' or 'aws sso login'), or " +
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run on an instance with an instance profile. " +
                $"The SDK said: {exception.Message}", exception);
        }
        return new AwsEnvironment(credentials, resolvedRegion, Environment.GetEnvironmentVariable, source);
    }

    /// <summary>The region and the name of the setting that gave it.</summary>
    public static (string Region, string Source) ResolveRegion(
        string? preferred, Func<string, string?> variables, ICredentialProfileSource profiles)
    {
        if (!string.IsNullOrWhiteSpace(preferred)) return (preferred, "spec");
        foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
            if (variables(name) is { Length: > 0 } value) return (value.Trim(), name);
        var profile = variables("AWS_PROFILE") is { Length: > 0 } named ? named : "default";
        if (profiles.TryGetProfile(profile, out var found) && found.Region is { } profileRegion)
            return (profileRegion.SystemName, $"profile {profile}");
        throw new AwsConfigurationException(
            $"No AWS region: the spec gives none, AWS_REGION and AWS_DEFAULT_REGION are unset and profile '{profile}' " +
            "has no region. Set one of them.");
    }

    /// <summary>
    /// The endpoint for <paramref name="service"/>: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, else <c>AWS_ENDPOINT_URL</c>,
    /// else the real regional (or, for IAM, global) endpoint; <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> ignores both variables.
    /// </summary>
    public AwsEndpoint EndpointFor(AwsService service)
    {
        if (!IsTrue(variables("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")))
        {
            foreach (var name in new[] { service.EndpointVariable, "AWS_ENDPOINT_URL" })
            {
                if (variables(name) is not { Length: > 0 } value) continue;
                if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    throw new AwsConfigurationException(
                        $"{name}='{value}' is not an absolute http(s) URL. Set it to one (e.g. http://127.0.0.1:5000) or unset it.");
                return new AwsEndpoint(url, service.SigningRegionForConfiguredEndpoint(Region), name);
            }
        }
        return service.DefaultEndpoint(Region);
    }

    public AmazonEC2Config Ec2Config() => Configure(new AmazonEC2Config(), AwsService.Ec2);

    /// <summary>S3 at a configured endpoint is addressed path-style: emulators do not serve bucket subdomains.</summary>
    public AmazonS3Config S3Config()
    {
        var config = Configure(new AmazonS3Config(), AwsService.S3);
        config.ForcePathStyle = EndpointFor(AwsService.S3).IsConfigured;
        return config;
    }

    public AmazonSecurityTokenServiceConfig StsConfig() => Configure(new AmazonSecurityTokenServiceConfig(), AwsService.Sts);

    public AmazonEC2Client CreateEc2Client(IAwsCallObserver? observer = null) =>
        new AmazonEC2Client(Credentials, Ec2Config()).ReportingTo(AwsService.Ec2, observer ?? AwsCallObserver.None);

    public AmazonS3Client CreateS3Client(IAwsCallObserver? observer = null) =>
        new AmazonS3Client(Credentials, S3Config()).ReportingTo(AwsService.S3, observer ?? AwsCallObserver.None);

    public AmazonSecurityTokenServiceClient CreateStsClient(IAwsCallObserver? observer = null) =>
        new AmazonSecurityTokenServiceClient(Credentials, StsConfig()).ReportingTo(AwsService.Sts, observer ?? AwsCallObserver.None);

    // The SDK would read AWS_ENDPOINT_URL* itself (and the profile's endpoint_url); deciding here keeps every client on one rule.
    private TConfig Configure<TConfig>(TConfig config, AwsService service) where TConfig : ClientConfig
    {
        var endpoint = EndpointFor(service);
        config.IgnoreConfiguredEndpointUrls = true;
        if (endpoint.IsConfigured)
        {
            config.ServiceURL = endpoint.Url.ToString();
            config.AuthenticationRegion = endpoint.SigningRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
        return config;
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
