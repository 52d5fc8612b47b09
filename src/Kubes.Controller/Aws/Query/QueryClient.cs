using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Sends AWS Query-protocol requests (form-encoded POST of <c>Action</c>, <c>Version</c> and parameters, signed with
/// SigV4) and returns the <c>&lt;ActionResult&gt;</c> element of the answer. Reports every request to the observer,
/// retries throttling, server errors and lost connections with <see cref="QueryRetryPolicy"/>, and turns every other error
/// into an <see cref="AwsServiceException"/>. One instance per service; safe for concurrent use.
/// </summary>
public sealed class QueryClient
{
    private static readonly MediaTypeHeaderValue FormContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");

    private readonly string apiVersion;
    private readonly QueryClientOptions options;
    private readonly HttpClient http;

    public QueryClient(AwsService service, string apiVersion, AwsEndpoint endpoint, AWSCredentials credentials, QueryClientOptions? options = null)
    {
        Service = service;
        Endpoint = endpoint;
        this.apiVersion = apiVersion;
        this.options = options ?? QueryClientOptions.Default;
        var signing = QuerySigning.CreateHandler(
            credentials, endpoint.SigningRegion, service.SigningName, this.options.Transport, this.options.SigningTime);
        http = new HttpClient(signing, disposeHandler: false) { Timeout = this.options.AttemptTimeout };
    }

    /// <summary>A client for <paramref name="service"/> at the endpoint and with the credentials <paramref name="environment"/> gives.</summary>
    public static QueryClient For(AwsService service, string apiVersion, AwsEnvironment environment, QueryClientOptions? options = null) =>
        new(service, apiVersion, environment.EndpointFor(service), environment.Credentials, options);

    public AwsService Service { get; }
    public AwsEndpoint Endpoint { get; }

    /// <summary>Calls <paramref name="action"/>; <paramref name="resource"/> names what it is about in errors (<c>role kubes-demo-etcd</c>).</summary>
    public async Task<XElement> SendAsync(string action, QueryParameters parameters, string resource, CancellationToken cancellationToken)
    {
        options.Observer.OnCall(AwsCall.For(Service.Name, action));
        var body = Encoding.UTF8.GetBytes(parameters.ToFormBody(action, apiVersion));
        for (var attempt = 1; ; attempt++)
        {
            AwsServiceException failure;
            try
            {
                var (status, text, requestIdHeader) = await PostAsync(body, cancellationToken);
                if (status is >= 200 and < 300) return ResultOf(action, text);
                failure = QueryErrorParser.Parse(Service.Name, action, resource, status, text, requestIdHeader, attempt);
            }
            catch (Exception exception) when (IsLostConnection(exception, cancellationToken))
            {
                failure = new AwsServiceException(
                    Service.Name, action, resource, AwsServiceException.ConnectionFailureCode,
                    $"{exception.Message} ({Endpoint.Url})", null, 0, attempt, exception);
            }
            if (!failure.IsRetryable || attempt >= options.Retry.MaxAttempts) throw failure;
            await options.Retry.Delay(options.Retry.DelayAfter(attempt), cancellationToken);
        }
    }

    /// <summary>
    /// Calls a paged list action until the service stops returning a continuation token and gathers the items
    /// <paramref name="read"/> finds in each page's result. Every page is one reported call.
    /// </summary>
    public async Task<IReadOnlyList<T>> ListAsync<T>(
        string action, QueryParameters parameters, string resource, QueryPaging paging,
        Func<XElement, IEnumerable<T>> read, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? token = null;
        do
        {
            var page = parameters.Copy().AddOptional(paging.PageSizeParameter, options.PageSize).AddOptional(paging.RequestToken, token);
            var result = await SendAsync(action, page, resource, cancellationToken);
            items.AddRange(read(result));
            token = result.Text(paging.ResponseToken) is { Length: > 0 } next ? next : null;
        }
        while (token is not null);
        return items;
    }

    private async Task<(int Status, string Body, string? RequestId)> PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint.Url)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = FormContentType } },
        };
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var values) ? values.FirstOrDefault() : null;
        return ((int)response.StatusCode, text, requestId);
    }

    private XElement ResultOf(string action, string text)
    {
        XElement root;
        try
        {
            root = XDocument.Parse(text).Root ?? throw new XmlException("empty document");
        }
        catch (XmlException exception)
        {
            throw new InvalidDataException(
                $"AWS {Service.Name}:{action} at {Endpoint.Url} answered success with a body that is not XML ({exception.Message}). " +
                "Check that the endpoint (AWS_ENDPOINT_URL…) really is the AWS API.", exception);
        }
        // Actions without output (DeleteRole, AddTags…) answer with ResponseMetadata only.
        return root.Child(action + "Result") ?? new XElement(action + "Result");
    }

    // A timeout of one attempt surfaces as a cancellation that the caller did not ask for.
    private static bool IsLostConnection(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException ||
        (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
