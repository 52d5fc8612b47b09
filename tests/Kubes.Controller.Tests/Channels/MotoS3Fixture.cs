using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;

namespace Kubes.Controller.Tests.Channels;

/// <summary>
/// A real moto_server on a free 127.0.0.1 port for the registrar's tests (S3 state store, the S3
/// mailbox, EC2 lookups). Tests in <see cref="MotoRegistrarCollection"/> share it and call
/// <see cref="ResetAsync"/> first.
/// </summary>
public sealed class MotoS3Fixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;
    private readonly HttpClient _http = new();

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"moto_server exited: {Output()}");
            try
            {
                using var response = await _http.GetAsync($"{Endpoint}/moto-api/");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (waited.Elapsed > StartTimeout) throw new TimeoutException($"moto_server did not answer on {Endpoint}: {Output()}");
            await Task.Delay(100);
        }
    }

    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync($"{Endpoint}/moto-api/reset", null);
        response.EnsureSuccessStatusCode();
    }

    public AmazonS3Client CreateS3Client() => new(Credentials, new AmazonS3Config
    {
        ServiceURL = Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    public AmazonEC2Client CreateEc2Client() => new(Credentials, new AmazonEC2Config
    {
        ServiceURL = Endpoint,
        AuthenticationRegion = "us-east-1",
    });

    public Task DisposeAsync()
    {
        _http.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private static BasicAWSCredentials Credentials => new("testing", "testing");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 64 * 1024) _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output) return _output.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class MotoRegistrarCollection : ICollectionFixture<MotoS3Fixture>
{
    public const string Name = "moto-registrar";
}
