using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Kubes.Controller.Aws;

namespace Kubes.Controller.Tests.Fixtures;

/// <summary>
/// A real moto_server (the AWS emulator of the machine image) on a free 127.0.0.1 port, shared by the tests of the
/// <see cref="Collection"/> collection, which therefore run one after another. It sets nothing process-wide:
/// point clients at it with <see cref="Environment"/> (in-process) or <see cref="EnvironmentVariables"/> (child processes).
/// </summary>
/// <remarks>
/// Where moto (5.2) differs from AWS, as found by these tests: it checks no signatures (the signing tests assert
/// AWS's published values instead); ELBv2 DescribeTargetGroups and DescribeListeners ignore PageSize and return one
/// page (DescribeLoadBalancers pages); network load balancer ARNs read <c>loadbalancer/app/</c>, not <c>/net/</c>;
/// every registered target is <c>healthy</c> at once, even an instance id that does not exist (AWS refuses it), and
/// only a stopped instance turns <c>unused</c>; DescribeTags takes more than 20 ARNs; Auto Scaling launches every
/// instance into the first subnet of VPCZoneIdentifier and reports it InService at once; EC2 DescribeImages costs
/// over a second per call (use a bundled image id such as <c>ami-1e749f67</c>); a terminated instance's private
/// address stays taken (so a replacement at a slot's fixed address cannot launch); CreateVolume ignores its client
/// token; the tag filter of DescribeNatGateways and the PathPrefix of ListInstanceProfiles are ignored; ELBv2 creates
/// no network interfaces and IAM enforces no policies. It does enforce IAM's DeleteConflict
/// and ELBv2's ResourceInUse ordering errors.
/// </remarks>
public sealed class MotoServer : IAsyncLifetime
{
    public const string Collection = "moto";
    public const string AccessKeyId = "AKIAIOSFAKEKUBES0000";
    public const string SecretAccessKey = "kubes-fake-secret-for-moto-only";
    public const string Region = "us-east-1";

    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly StringBuilder output = new();
    private Process? process;
    private string host = "127.0.0.1";
    private int? fixedPort;

    /// <summary>A moto of its own on <paramref name="listenHost"/> (an address the caller made, such as a bridge's),
    /// for tests whose clients live in network namespaces; dispose it when done.</summary>
    public static async Task<MotoServer> StartOnAsync(string listenHost, int? listenPort = null)
    {
        var moto = new MotoServer { host = listenHost, fixedPort = listenPort };
        await moto.InitializeAsync();
        return moto;
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:1/");

    /// <summary>What a child process needs to talk to this moto: fake credentials, the region, the endpoint, no IMDS.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey,
        ["AWS_REGION"] = Region,
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString(),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Points every AWS client at this moto; <paramref name="variables"/> adds or overrides endpoint variables.</summary>
    public AwsEnvironment Environment(IReadOnlyDictionary<string, string>? variables = null)
    {
        var all = new Dictionary<string, string>(EnvironmentVariables);
        foreach (var (name, value) in variables ?? new Dictionary<string, string>()) all[name] = value;
        return new AwsEnvironment(
            new BasicAWSCredentials(AccessKeyId, SecretAccessKey), Region, name => all.GetValueOrDefault(name), "moto fixture");
    }

    /// <summary>Forgets every resource (<c>POST /moto-api/reset</c>).</summary>
    public async Task ResetAsync()
    {
        using var response = await http.PostAsync(new Uri(Endpoint, "moto-api/reset"), content: null);
        response.EnsureSuccessStatusCode();
    }

    public async Task InitializeAsync()
    {
        // A free port can be taken between asking and binding; moto then exits and we try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = fixedPort ?? FreePort();
            Endpoint = new Uri($"http://{host}:{port}/");
            process = Start(port);
            if (await AnswersAsync()) return;
            Stop();
            if (attempt == 3)
                throw new InvalidOperationException(
                    $"moto_server did not answer on {Endpoint} within {StartupLimit.TotalSeconds} s. Is moto installed " +
                    $"(pip install 'moto[server]')? Its output:\n{Output}");
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        http.Dispose();
        return Task.CompletedTask;
    }

    private string Output
    {
        get { lock (output) return output.ToString(); }
    }

    private Process Start(int port)
    {
        var info = new ProcessStartInfo("moto_server", ["-H", host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A small image catalogue: Canonical's Ubuntu 24.04 (what 'kubes up' picks by default) and the image older
        // tests name; it also makes DescribeImages fast.
        info.Environment["MOTO_AMIS_PATH"] = Path.Join(AppContext.BaseDirectory, "Fixtures", "moto-amis.json");
        var started = Process.Start(info) ?? throw new InvalidOperationException("moto_server could not be started.");
        started.OutputDataReceived += (_, line) => Append(line.Data);
        started.ErrorDataReceived += (_, line) => Append(line.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private async Task<bool> AnswersAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupLimit && process is { HasExited: false })
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Endpoint, "moto-api/"));
                if (response.IsSuccessStatusCode) return true;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        return false;
    }

    private void Stop()
    {
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
        process.Dispose();
        process = null;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(MotoServer.Collection)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>;
