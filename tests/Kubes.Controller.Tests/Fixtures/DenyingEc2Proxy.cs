using System.Net;
using System.Text;
using System.Web;

namespace Kubes.Controller.Tests.Fixtures;

/// <summary>
/// Stands between an EC2 client and moto on a free 127.0.0.1 port: passes every request through, except the
/// actions it denies, which get the 403 UnauthorizedOperation answer AWS gives an identity without the permission
/// (moto enforces no IAM policies here). Point a client at it with <c>AWS_ENDPOINT_URL_EC2</c>.
/// </summary>
internal sealed class DenyingEc2Proxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _moto = new();
    private readonly Uri _target;
    private readonly HashSet<string> _denied;
    private readonly Task _serving;

    public DenyingEc2Proxy(Uri moto, params string[] deniedActions)
    {
        _target = moto;
        _denied = [.. deniedActions];
        var port = MotoServer.FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Endpoint.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string> { ["AWS_ENDPOINT_URL_EC2"] = Endpoint.ToString() };

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var action = HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body.ToArray()))["Action"];
        var response = context.Response;
        if (action is not null && _denied.Contains(action))
        {
            response.StatusCode = 403;
            await WriteAsync(response, "text/xml", Encoding.UTF8.GetBytes(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnauthorizedOperation</Code>" +
                "<Message>You are not authorized to perform this operation.</Message></Error></Errors>" +
                "<RequestID>denied-by-test-proxy</RequestID></Response>"));
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(_target, context.Request.Url!.PathAndQuery))
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        // moto reads the service and region from the signature's scope, so every header goes along.
        foreach (var name in context.Request.Headers.AllKeys.OfType<string>().Where(n => n is not ("Host" or "Content-Length")))
        {
            var value = context.Request.Headers[name];
            if (!forward.Headers.TryAddWithoutValidation(name, value)) forward.Content.Headers.TryAddWithoutValidation(name, value);
        }
        using var answer = await _moto.SendAsync(forward);
        response.StatusCode = (int)answer.StatusCode;
        await WriteAsync(response, answer.Content.Headers.ContentType?.ToString() ?? "text/xml", await answer.Content.ReadAsByteArrayAsync());
    }

    private static async Task WriteAsync(HttpListenerResponse response, string contentType, byte[] content)
    {
        response.ContentType = contentType;
        response.ContentLength64 = content.Length;
        await response.OutputStream.WriteAsync(content);
        response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        _moto.Dispose();
    }
}
