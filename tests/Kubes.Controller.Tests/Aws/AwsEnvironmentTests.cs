using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Tests.Aws;

public sealed class AwsEnvironmentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("kubes-aws-env-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(variable => variable.Name == name).Value;

    private static AwsEnvironment Environment(string region, params (string, string)[] variables) =>
        new(new BasicAWSCredentials("AKIAIOSFAKE", "secret"), region, Variables(variables));

    private ICredentialProfileSource Profiles(string contents)
    {
        var path = Path.Combine(folder, "credentials");
        File.WriteAllText(path, contents);
        return new SharedCredentialsFile(path);
    }

    [Fact]
    public void The_spec_region_wins_then_aws_region_then_aws_default_region_then_the_profile()
    {
        var profiles = Profiles("[ops]\naws_access_key_id = AKIAIOSFAKE\naws_secret_access_key = s\nregion = ap-south-1\n");
        var all = Variables(("AWS_REGION", "eu-west-1"), ("AWS_DEFAULT_REGION", "eu-west-2"), ("AWS_PROFILE", "ops"));

        Assert.Equal(("us-west-2", "spec"), AwsEnvironment.ResolveRegion("us-west-2", all, profiles));
        Assert.Equal(("eu-west-1", "AWS_REGION"), AwsEnvironment.ResolveRegion(null, all, profiles));
        Assert.Equal(("eu-west-2", "AWS_DEFAULT_REGION"),
            AwsEnvironment.ResolveRegion(null, Variables(("AWS_DEFAULT_REGION", "eu-west-2"), ("AWS_PROFILE", "ops")), profiles));
        Assert.Equal(("ap-south-1", "profile ops"), AwsEnvironment.ResolveRegion("", Variables(("AWS_PROFILE", "ops")), profiles));
    }

    [Fact]
    public void No_region_anywhere_is_a_configuration_error_naming_the_settings()
    {
        var profiles = Profiles("[default]\naws_access_key_id = AKIAIOSFAKE\naws_secret_access_key = s\n");

        var error = Assert.Throws<AwsConfigurationException>(() => AwsEnvironment.ResolveRegion(null, Variables(), profiles));

        Assert.Contains("AWS_REGION", error.Message);
        Assert.Contains("profile 'default'", error.Message);
    }

    [Fact]
    public void The_service_variable_wins_over_the_global_one_which_wins_over_the_real_endpoint()
    {
        var environment = Environment("eu-west-1",
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", "http://127.0.0.2:6000/"));

        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.2:6000/"), "eu-west-1", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2"),
            environment.EndpointFor(AwsService.ElasticLoadBalancingV2));
        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:5000/"), "eu-west-1", "AWS_ENDPOINT_URL"),
            environment.EndpointFor(AwsService.AutoScaling));
        Assert.Equal(new AwsEndpoint(new Uri("http://127.0.0.1:5000/"), "us-east-1", "AWS_ENDPOINT_URL"),
            environment.EndpointFor(AwsService.Iam));
    }

    [Theory]
    [InlineData("eu-west-1", "iam", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData("eu-west-1", "elasticloadbalancing", "https://elasticloadbalancing.eu-west-1.amazonaws.com/", "eu-west-1")]
    [InlineData("eu-west-1", "autoscaling", "https://autoscaling.eu-west-1.amazonaws.com/", "eu-west-1")]
    [InlineData("cn-northwest-1", "iam", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData("cn-northwest-1", "autoscaling", "https://autoscaling.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1")]
    [InlineData("us-gov-east-1", "iam", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1")]
    public void Without_variables_each_service_goes_to_its_real_endpoint(string region, string service, string url, string signingRegion)
    {
        var byName = new[] { AwsService.Iam, AwsService.ElasticLoadBalancingV2, AwsService.AutoScaling }.Single(s => s.Name == service);

        Assert.Equal(new AwsEndpoint(new Uri(url), signingRegion, "default"), Environment(region).EndpointFor(byName));
    }

    [Fact]
    public void Aws_ignore_configured_endpoint_urls_restores_the_real_endpoints()
    {
        var environment = Environment("eu-west-1", ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.False(environment.EndpointFor(AwsService.AutoScaling).IsConfigured);
        Assert.Null(environment.Ec2Config().ServiceURL);
    }

    [Theory]
    [InlineData("localhost:5000")]
    [InlineData("ftp://127.0.0.1/")]
    public void An_endpoint_that_is_not_an_http_url_is_refused_with_the_variable_named(string value)
    {
        var environment = Environment("eu-west-1", ("AWS_ENDPOINT_URL_IAM", value));

        var error = Assert.Throws<AwsConfigurationException>(() => environment.EndpointFor(AwsService.Iam));

        Assert.Contains($"AWS_ENDPOINT_URL_IAM='{value}'", error.Message);
    }

    [Fact]
    public void Sdk_configs_follow_the_same_endpoint_rules_and_s3_goes_path_style_at_an_emulator()
    {
        var configured = Environment("eu-west-1", ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_ENDPOINT_URL_S3", "http://127.0.0.3:7000"));
        var real = Environment("eu-west-1");

        Assert.Equal(("http://127.0.0.1:5000/", "eu-west-1", true),
            (configured.Ec2Config().ServiceURL, configured.Ec2Config().AuthenticationRegion, configured.Ec2Config().IgnoreConfiguredEndpointUrls));
        Assert.Equal("http://127.0.0.1:5000/", configured.StsConfig().ServiceURL);
        Assert.Equal(("http://127.0.0.3:7000/", true), (configured.S3Config().ServiceURL, configured.S3Config().ForcePathStyle));
        Assert.Equal((null, "eu-west-1", true), (real.Ec2Config().ServiceURL, real.Ec2Config().RegionEndpoint?.SystemName, real.Ec2Config().IgnoreConfiguredEndpointUrls));
        Assert.False(real.S3Config().ForcePathStyle);
    }
}
