using System.Xml;
using System.Xml.Linq;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Turns an error response into an <see cref="AwsServiceException"/>. Query services answer
/// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;&lt;/ErrorResponse&gt;</c>,
/// EC2 <c>&lt;Response&gt;&lt;Errors&gt;&lt;Error/&gt;&lt;/Errors&gt;&lt;RequestID/&gt;&lt;/Response&gt;</c>; a proxy may answer with anything.
/// </summary>
public static class QueryErrorParser
{
    private const int MaxQuotedBody = 200;

    public static AwsServiceException Parse(
        string service, string action, string resource, int httpStatus, string body, string? requestIdHeader, int attempts = 1)
    {
        var root = TryParse(body);
        var error = root?.DescendantsAndSelf().FirstOrDefault(element => element.Name.LocalName == "Error");
        var code = error?.Text("Code");
        if (root is null || error is null || string.IsNullOrEmpty(code))
            return new AwsServiceException(service, action, resource, $"Http{httpStatus}", Quote(body), requestIdHeader, httpStatus, attempts);

        var requestId = root.DescendantsAndSelf()
            .FirstOrDefault(element => element.Name.LocalName is "RequestId" or "RequestID")?.Value;
        return new AwsServiceException(
            service, action, resource, code, error.Text("Message") ?? "", requestId ?? requestIdHeader, httpStatus, attempts);
    }

    private static XElement? TryParse(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return XDocument.Parse(body).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string Quote(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        if (text.Length == 0) return "no error document in the response";
        return text.Length <= MaxQuotedBody ? text : text[..MaxQuotedBody] + "…";
    }
}
