using System.Net;
using System.Text;

namespace Kubes.Controller.Tests.Aws.Query;

/// <summary>
/// The innermost HTTP handler of a client under test: records every request it is sent (after signing) and answers
/// from a script, one response per request, in order. Running past the script fails the test.
/// </summary>
internal sealed class ScriptedTransport(params Func<RecordedRequest, HttpResponseMessage>[] script) : HttpMessageHandler
{
    private readonly Queue<Func<RecordedRequest, HttpResponseMessage>> script = new(script);
    private readonly List<RecordedRequest> requests = [];

    public IReadOnlyList<RecordedRequest> Requests => requests;

    public static Func<RecordedRequest, HttpResponseMessage> Answer(HttpStatusCode status, string body) =>
        _ => new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "text/xml") };

    public static Func<RecordedRequest, HttpResponseMessage> Fail(Exception exception) => _ => throw exception;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(header => header.Key, header => string.Join(",", header.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        requests.Add(recorded);
        if (!script.TryDequeue(out var next))
            throw new InvalidOperationException($"The script has no answer for request {requests.Count}: {body}");
        return next(recorded);
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body);
