using System.Diagnostics;

namespace Kubes.Agent.Tests.Support;

/// <summary>The AWS emulator on a free 127.0.0.1 port, for the tests of one class.</summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; } = FreePort.OnLoopback();

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("moto_server")
        {
            ArgumentList = { "-H", "127.0.0.1", "-p", Port.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync($"{Endpoint}/moto-api/");
                return;
            }
            catch (HttpRequestException)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}");
                }

                await Task.Delay(100);
            }
        }

        throw new TimeoutException("moto_server did not answer within 30s");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
