using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kubes.Bench.Aws;

/// <summary>A moto_server of its own, on a free 127.0.0.1 port, killed when disposed.</summary>
public sealed class MotoProcess : IAsyncDisposable
{
    public const string Region = "us-east-1";
    private const string AccessKeyId = "AKIAIOSFAKEKUBES0000";
    private const string SecretAccessKey = "kubes-fake-secret-for-moto-only";
    private static readonly TimeSpan StartupLimit = TimeSpan.FromSeconds(60);

    private const int KeptLines = 60;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Queue<string> _recent = new();
    private Process? _process;

    private MotoProcess()
    {
    }

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1:1/");

    public static async Task<MotoProcess> StartAsync()
    {
        var moto = new MotoProcess();
        // A free port can be taken between asking and binding; moto then exits and we try another.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = FreePort();
            moto.Endpoint = new Uri($"http://127.0.0.1:{port}/");
            moto._process = Process.Start(new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                // The tests' image catalogue: Canonical's Ubuntu 24.04, which 'kubes up' picks, and a fast DescribeImages.
                Environment = { ["MOTO_AMIS_PATH"] = Path.Join(AppContext.BaseDirectory, "moto-amis.json") },
            }) ?? throw new InvalidOperationException("moto_server could not be started; is moto installed (pip install 'moto[server]')?");
            // moto logs every request; drain its pipes so it never blocks on a full one, keeping the tail for errors.
            moto._process.OutputDataReceived += (_, line) => moto.Keep(line.Data);
            moto._process.ErrorDataReceived += (_, line) => moto.Keep(line.Data);
            moto._process.BeginOutputReadLine();
            moto._process.BeginErrorReadLine();
            if (await moto.AnswersAsync()) return moto;
            moto.Stop();
        }
        await moto.DisposeAsync();
        throw new InvalidOperationException($"moto_server did not answer within {StartupLimit.TotalSeconds} s on three ports.");
    }

    /// <summary>The last exception moto printed (a 500 is a Python traceback ending in one), or null.</summary>
    public string? LastException()
    {
        lock (_recent)
        {
            return _recent.LastOrDefault(line => line.Length > 0 && !char.IsWhiteSpace(line[0])
                && !line.StartsWith("127.0.0.1 ", StringComparison.Ordinal)
                && !line.StartsWith("Traceback", StringComparison.Ordinal)
                && !line.StartsWith("Error on request", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Points this process's AWS settings at moto the standard way (keys, region, <c>AWS_ENDPOINT_URL</c>), as the
    /// tests do for the kubes executable, so that <c>kubes up</c>'s own session finds it.
    /// </summary>
    public void UseForThisProcess()
    {
        System.Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", AccessKeyId);
        System.Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SecretAccessKey);
        System.Environment.SetEnvironmentVariable("AWS_REGION", Region);
        System.Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", Endpoint.ToString());
        System.Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    /// <summary>Forgets every resource, so each measured run starts from an empty account.</summary>
    public async Task ResetAsync()
    {
        using var response = await _http.PostAsync(new Uri(Endpoint, "moto-api/reset"), content: null);
        response.EnsureSuccessStatusCode();
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_recent)
        {
            _recent.Enqueue(line);
            if (_recent.Count > KeptLines) _recent.Dequeue();
        }
    }

    private async Task<bool> AnswersAsync()
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartupLimit && _process is { HasExited: false })
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(Endpoint, "moto-api/"));
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
        if (_process is null) return;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // exited between the check and the kill
        }
        _process.Dispose();
        _process = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
