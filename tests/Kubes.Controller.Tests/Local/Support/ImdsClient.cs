using System.Net;
using System.Net.Sockets;
using Kubes.Controller.Local;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// Raw IMDSv2 requests, so a test can send what a well-behaved client would not, from a chosen source address (the
/// metadata service tells instances apart by it).
/// </summary>
internal sealed class ImdsClient : IDisposable
{
    private readonly HttpClient _http;

    public ImdsClient(Uri endpoint, IPAddress? source = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    if (source is not null) socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task<(HttpStatusCode Status, string Body)> PutTokenAsync(string? ttl, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "latest/api/token");
        if (ttl is not null) request.Headers.Add(InstanceMetadataHeaders.Ttl, ttl);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        return await SendAsync(request);
    }

    public async Task<string> TokenAsync(int ttlSeconds = 60)
    {
        var (status, body) = await PutTokenAsync(ttlSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Add(InstanceMetadataHeaders.Token, token);
        return await SendAsync(request);
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
