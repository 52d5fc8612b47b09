using System.Net;

namespace Kubes.Agent.Tests.Support;

/// <summary>A small HTTP server on 127.0.0.1 answering with a function of the request (a mirror, a metadata service).</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, Task<(int Status, byte[] Body)>> _handler;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerRequest, Task<(int Status, byte[] Body)>> handler)
    {
        _handler = handler;
        Port = FreePort.OnLoopback();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public List<string> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                lock (Requests)
                {
                    Requests.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}");
                }

                var (status, body) = await _handler(context.Request);
                context.Response.StatusCode = status;
                context.Response.ContentLength64 = body.Length;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after a Stop, the managed listener's Close looks its port up again and binds it anew, which fails
        // ("Address already in use") when another process took the port meanwhile.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }
        await _loop;
    }
}
