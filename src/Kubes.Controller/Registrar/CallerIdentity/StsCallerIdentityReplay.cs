using System.Net.Http.Headers;
using System.Xml.Linq;
using Grpc.Core;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar.CallerIdentity;

/// <summary>
/// Sends an agent's signed GetCallerIdentity to the STS endpoint this coordinator is configured with — never to a URL
/// the agent names — and returns the ARN and account STS answers with. STS verifies the signature: a proof that was
/// altered, signed for another host, or signed with credentials that do not exist is answered with an error.
/// </summary>
public sealed class StsCallerIdentityReplay(HttpClient http, Uri stsEndpoint)
{
    public Uri Endpoint => stsEndpoint;

    public async Task<(string Arn, string Account)> ReplayAsync(IReadOnlyDictionary<string, string> headers,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, stsEndpoint);
        request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(CallerIdentityProof.Body));
        foreach (var (name, value) in headers)
        {
            if (name == "content-type")
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            else if (!request.Headers.TryAddWithoutValidation(name, value))
                throw new RegistrationRefusedException(StatusCode.InvalidArgument, $"the caller identity proof's header '{name}' cannot be sent");
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistrationRefusedException(StatusCode.Unavailable,
                $"STS at {stsEndpoint} could not be reached to check the caller identity proof: {e.Message}; the agent retries");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            XElement root;
            try
            {
                root = XElement.Parse(text);
            }
            catch (System.Xml.XmlException)
            {
                throw new RegistrationRefusedException(StatusCode.Unavailable,
                    $"STS at {stsEndpoint} answered {(int)response.StatusCode} with something that is not XML");
            }
            if (!response.IsSuccessStatusCode)
            {
                var code = Descendant(root, "Code") ?? $"HTTP {(int)response.StatusCode}";
                var status = (int)response.StatusCode >= 500 ? StatusCode.Unavailable : StatusCode.Unauthenticated;
                throw new RegistrationRefusedException(status,
                    $"STS refused the caller identity proof: {code}: {Descendant(root, "Message")}");
            }
            var arn = Descendant(root, "Arn");
            var account = Descendant(root, "Account");
            if (arn is null || account is null)
                throw new RegistrationRefusedException(StatusCode.Unavailable, $"STS at {stsEndpoint} answered without Arn and Account");
            return (arn, account);
        }
    }

    private static string? Descendant(XElement root, string name) =>
        root.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
}
