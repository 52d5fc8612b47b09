using System.Net;
using Kubes.Controller.Cli;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes serve</c> from a real argument line, on a local spec whose state lives in a temp folder.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly TextWriter _out;
    private readonly TextWriter _err;
    private readonly string _specFile;

    public ServeCommandTests()
    {
        _out = TextWriter.Synchronized(_stdout);
        _err = TextWriter.Synchronized(_stderr);
        var spec = ClusterSpecDefaults.Local("serve-test") with { StateStore = Path.Join(_folder.Path, "state") };
        _specFile = Path.Join(_folder.Path, "cluster.yaml");
        File.WriteAllText(_specFile, ClusterSpecWriter.Write(spec));
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
    public async Task Serve_listens_with_the_clusters_ca_and_stops_when_interrupted()
    {
        using var interrupt = new CancellationTokenSource();
        var serving = Run(interrupt.Token, "serve", "-f", _specFile, "--listen", "127.0.0.1:0", "--poll-seconds", "0.1");
        for (var attempt = 0; attempt < 3000 && !Stdout().Contains("gRPC on https://") && !serving.IsCompleted; attempt++)
            await Task.Delay(10);
        Assert.True(Stdout().Contains("gRPC on https://"), $"serve printed no address: {Stdout()} {_stderr}");
        Assert.True(File.Exists(Path.Join(_folder.Path, "state", "pki", "kubernetes-ca.crt")), "the cluster's CAs were not created");

        await interrupt.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await serving);
        Assert.Contains("Coordinator stopped.", Stdout());
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
