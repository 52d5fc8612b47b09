using System.Net;
using Kubes.Controller.Cli;
using Kubes.Controller.Local;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes serve</c> from a real argument line, on a local spec whose state lives in a temp folder.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly ClusterSpec _spec;
    private readonly string _specFile;

    public ServeCommandTests()
    {
        _out = TextWriter.Synchronized(_stdout);
        _err = TextWriter.Synchronized(_stderr);
        _spec = ClusterSpecDefaults.Local(LocalClusterHarness.NewName()) with { StateStore = Path.Join(_folder.Path, "state") };
        _specFile = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_specFile, ClusterSpecWriter.Write(_spec));
    }

    public void Dispose() => _folder.Dispose();

    private Task<int> Run(CancellationToken cancellationToken, params string[] args) =>
        KubesCli.Build(_out, _err).Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = _out, Error = _err }, cancellationToken);

    private string Stdout()
    {
        lock (_out) return _stdout.ToString();
    }

    [Fact]
    public async Task Serve_listens_with_the_clusters_ca_serves_the_instances_metadata_on_the_bridge_and_stops_when_interrupted()
    {
        // The cluster's network, as 'kubes up' leaves it for the coordinator it starts.
        var cloud = new LocalCloud(ClusterTopology.From(_spec), _spec.StateStore);
        await cloud.PrepareNetworkAsync(CancellationToken.None);
        try
        {
            using var interrupt = new CancellationTokenSource();
            var serving = Run(interrupt.Token, "serve", "-f", _specFile, "--listen", "127.0.0.1:0", "--poll-seconds", "0.1");
            for (var attempt = 0; attempt < 3000 && !Stdout().Contains("gRPC on https://") && !serving.IsCompleted; attempt++)
                await Task.Delay(10);
            Assert.True(Stdout().Contains("gRPC on https://"), $"serve printed no address: {Stdout()} {_stderr}");
            Assert.Contains($"instance metadata on {cloud.Endpoints.Metadata}", Stdout());
            Assert.True(File.Exists(Path.Join(_folder.Path, "state", "pki", "kubernetes-ca.crt")), "the cluster's CAs were not created");
            // This machine is no instance: the metadata service (started beside gRPC) answers it, and refuses it.
            using (var host = new ImdsClient(cloud.Endpoints.MetadataUrl))
                Assert.Equal(HttpStatusCode.Forbidden, await StatusOnceServingAsync(host));

            await interrupt.CancelAsync();
            Assert.Equal(ExitCodes.Ok, await serving);
            Assert.Contains("Coordinator stopped.", Stdout());
        }
        finally
        {
            await cloud.Network.DeleteAsync(CancellationToken.None);
        }
    }

    private static async Task<HttpStatusCode> StatusOnceServingAsync(ImdsClient client)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return (await client.PutTokenAsync("60")).Status;
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(50);
            }
        }
    }

    [Fact]
    public async Task Serve_of_a_local_cluster_whose_network_is_not_here_exits_1_and_says_what_makes_it()
    {
        var exit = await Run(CancellationToken.None, "serve", "-f", _specFile, "--listen", "127.0.0.1:0");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"The network of cluster {_spec.Name} (bridge kubes-br-", _stderr.ToString());
        Assert.Contains("'kubes up' makes it", _stderr.ToString());
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1")]
    [InlineData("--listen", "localhost:7443")]
    [InlineData("--poll-seconds", "0")]
    public async Task Bad_input_exits_2_and_says_why(string option, string value)
    {
        var exit = await Run(CancellationToken.None, "serve", "-f", _specFile, option, value);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(value, _stderr.ToString());
    }

    [Fact]
    public async Task A_missing_spec_exits_2()
    {
        var exit = await Run(CancellationToken.None, "serve", "-f", Path.Join(_folder.Path, "missing.yaml"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("missing.yaml", _stderr.ToString());
    }

    [Fact]
    public async Task A_taken_port_exits_1_and_says_what_to_do()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var exit = await Run(CancellationToken.None, "serve", "-f", _specFile, "--listen", taken.LocalEndpoint.ToString()!);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("--listen", _stderr.ToString());
    }
}
