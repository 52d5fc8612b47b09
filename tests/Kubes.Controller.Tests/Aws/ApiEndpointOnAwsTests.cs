using System.Security.Cryptography.X509Certificates;
using Amazon.EC2.Model;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Providers;
using Kubes.Controller.Session;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Aws;

/// <summary>
/// The HA endpoint on AWS after a whole <c>kubes up</c> against moto: the network load balancer's target group holds the
/// three controllers on 6443, and its DNS name — learned from ELB, never made up — is what the apiserver's serving
/// certificate names and what <c>kubes kubeconfig</c> points at.
/// </summary>
[Collection(MotoServer.Collection)]
public sealed class ApiEndpointOnAwsTests(MotoServer moto) : IAsyncLifetime
{
    private IClusterSession? _session;

    private AwsClusterSession Session => (AwsClusterSession)_session!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        var spec = ClusterSpecDefaults.Aws("endpoint") with
        {
            Image = "ami-1e749f67", Artifacts = new ArtifactsSpec { BaseUrl = HostReleaseImport.UnreachableSite },
        };
        _session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsEnvironment = moto.Environment() }, CancellationToken.None);
        using var output = new StringWriter();
        var up = await new ClusterUp(_session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.True(up.Result.Succeeded, output.ToString());
    }

    public Task DisposeAsync()
    {
        _session?.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_endpoint_is_the_load_balancers_dns_name_and_its_target_group_holds_the_three_controllers_on_6443()
    {
        var name = AwsClusterModel.LoadBalancerName("endpoint");
        var elb = Session.Clients.LoadBalancing;
        var loadBalancer = Assert.Single(await elb.DescribeLoadBalancersAsync(names: [name]));
        var targetGroup = Assert.Single(await elb.DescribeTargetGroupsAsync(names: [name]));

        var endpoint = await Session.ApiEndpointAsync(CancellationToken.None);

        Assert.NotEqual("", loadBalancer.DnsName);
        Assert.Equal(new ApiEndpoint(loadBalancer.DnsName.ToLowerInvariant(), 6443), endpoint);
        var controllers = (await Session.Clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest
            {
                Filters =
                [
                    new Filter { Name = "tag:kubes.io/cluster", Values = ["endpoint"] },
                    new Filter { Name = "tag:kubes.io/role", Values = ["controller"] },
                    new Filter { Name = "instance-state-name", Values = ["pending", "running"] },
                ],
            }))
            .Reservations.SelectMany(r => r.Instances).Select(i => i.InstanceId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, controllers.Count);
        var targets = await elb.DescribeTargetHealthAsync(targetGroup.Arn);
        Assert.Equal(controllers, targets.Select(t => t.Target.Id).Order(StringComparer.Ordinal));
        Assert.All(targets, t => Assert.Equal(6443, t.Target.Port ?? targetGroup.Port));
        Assert.Equal(6443, targetGroup.Port);
    }

    [Fact]
    public async Task The_apiserver_certificate_a_controller_gets_names_the_load_balancers_dns_name()
    {
        var endpoint = await Session.ApiEndpointAsync(CancellationToken.None);
        using var http = HttpsArtifactSource.CreateClient();
        var topology = Session.Topology;
        using var state = new CoordinatorState(topology, Session.Store,
            ArtifactPinning.For(topology.Spec, Session.Store, http, useHostPackages: false), apiEndpoint: _session!.FindApiEndpointAsync);

        var loaded = await state.GetAsync(CancellationToken.None);

        Assert.Equal(endpoint, loaded.Material.Current.ApiEndpoint);
        var controller = topology.FindSlot(InstanceRole.Controller, 0)!;
        var serving = new IssuancePolicy(topology, loaded.Material.Current.ApiEndpoint).ForSlot(controller)
            .Single(i => i.Kind == IdentityKind.ApiServerServing);
        using var key = OperatorKey.Create(topology.Spec.Pki.KeyAlgorithm, "kube-apiserver");
        var issued = CsrSigner.Sign(loaded.Pki, serving, key.CsrPem);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.True(certificate.MatchesHostname(endpoint.Host), $"{endpoint.Host} is not among the SANs of {issued.CertificatePem}");
    }

    [Fact]
    public async Task Kubes_kubeconfig_points_at_the_load_balancer()
    {
        var endpoint = await Session.ApiEndpointAsync(CancellationToken.None);

        var credentials = await new AdminCredentialIssuer(Session).IssueAsync(CancellationToken.None);
        var text = KubeconfigDocument.Standalone(credentials);

        Assert.Equal(new Uri($"https://{endpoint.Host}:6443"), credentials.Server);
        Assert.Contains($"server: https://{endpoint.Host}:6443\n", text);
        using var pki = await new ClusterPkiRepository(Session.Store).LoadExistingAsync(Session.Topology.Spec, CancellationToken.None);
        Assert.Equal(pki.Kubernetes.CertificatePem, credentials.CaPem);
    }
}
