using System.Net;
using Google.Protobuf;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Cli;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Channels.Grpc;
using Kubes.Controller.Tests.Channels.Mailbox;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes serve</c> from a real argument line, with a test's wiring for the parts built elsewhere.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback();
    private readonly RegistrarWorld _world;
    private readonly TestRegistrarWiring _wiring;
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    public ServeCommandTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
        _wiring = new TestRegistrarWiring("cluster.yaml", _world.Spec, _world.Directory, _world.Issuer, _certificate.Certificate);
        _out = TextWriter.Synchronized(_stdout);
        _err = TextWriter.Synchronized(_stderr);
    }

    public void Dispose()
    {
        _world.Dispose();
        _certificate.Dispose();
        _folder.Dispose();
    }

    private Task<int> Run(CancellationToken cancellationToken, params string[] args) =>
        KubesCli.Build(_out, _err, _wiring).Parse(args)
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = _out, Error = _err }, cancellationToken);

    private string Stdout()
    {
        lock (_out) return _stdout.ToString();
    }

    [Fact]
    public async Task Serve_answers_agents_on_gRPC_and_the_mailbox_until_interrupted()
    {
        using var interrupt = new CancellationTokenSource();
        var serving = Run(interrupt.Token, "serve", "-f", "cluster.yaml", "--listen", "127.0.0.1:0",
            "--state-store", _folder.Path, "--poll-seconds", "0.02");

        Uri? address = null;
        for (var attempt = 0; attempt < 3000 && address is null && !serving.IsCompleted; attempt++)
        {
            await Task.Delay(10);
            var line = Stdout().Split('\n').FirstOrDefault(l => l.Contains("gRPC on https://"));
            if (line is not null) address = new Uri(line.Split(' ').First(w => w.StartsWith("https://")).TrimEnd(','));
        }
        Assert.True(address is not null, $"serve printed no address: {Stdout()} {_stderr}");

        await using (var grpc = new GrpcAgentChannel(address, _certificate.Ca))
        {
            var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
            Assert.NotEmpty((await grpc.JoinAsync(agent, agent.Join())).AgentCredential);
        }
        var mailboxAgent = await _world.LaunchAsync(InstanceRole.Etcd, 1);
        await _world.Store.PutAsync(MailboxKeys.Request(mailboxAgent.InstanceId, "r"),
            new MailboxRequest { RequestId = "r", Join = mailboxAgent.Join() }.ToByteArray());
        var response = await MailboxAgentChannel.AwaitResponseAsync(_world.Store, mailboxAgent.InstanceId, "r");
        Assert.Equal(MailboxResponse.BodyOneofCase.Join, response.BodyCase);

        await interrupt.CancelAsync();
        Assert.Equal(ExitCodes.Ok, await serving);
        Assert.Contains("Registrar stopped.", Stdout());
        Assert.Contains("joined as etcd-0", _stderr.ToString());
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1")]
    [InlineData("--listen", "localhost:7443")]
    [InlineData("--poll-seconds", "0")]
    [InlineData("-f", "missing.yaml")]
    public async Task Bad_input_exits_2_and_says_why(string option, string value)
    {
        var exit = await Run(CancellationToken.None, "serve", "--state-store", _folder.Path, option, value);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(value, _stderr.ToString());
    }

    [Fact]
    public async Task A_malformed_s3_state_store_exits_2()
    {
        var exit = await Run(CancellationToken.None, "serve", "--state-store", "s3://Not_A_Bucket/x");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("Not_A_Bucket", _stderr.ToString());
    }

    [Fact]
    public async Task Without_a_state_store_serve_exits_2_and_names_the_setting()
    {
        var exit = await Run(CancellationToken.None, "serve");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("--state-store", _stderr.ToString());
    }

    [Fact]
    public async Task A_taken_port_exits_1_and_says_what_to_do()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var exit = await Run(CancellationToken.None, "serve", "--state-store", _folder.Path, "--listen", taken.LocalEndpoint.ToString()!);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("--listen", _stderr.ToString());
    }

    [Fact]
    public void Without_wiring_there_is_no_serve_verb()
    {
        Assert.DoesNotContain(KubesCli.Build(_out, _err).Subcommands, c => c.Name == "serve");
    }
}
