using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Tests.Aws.Query;

/// <summary>
/// moto does not check signatures, so these are the proof that requests are signed right: AWS's published
/// Signature Version 4 examples (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, region us-east-1).
/// </summary>
public sealed class QuerySigningTests
{
    private const string AccessKey = "AKIDEXAMPLE";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime SignedAt = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private static readonly BasicAWSCredentials Credentials = new(AccessKey, SecretKey);

    // From the AWS SigV4 test suite, vector post-x-www-form-urlencoded: its canonical request and signature.
    private const string PublishedFormCanonicalRequest =
        "POST\n/\n\n" +
        "content-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
        "content-type;host;x-amz-date\n" +
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
    private const string PublishedFormSignature = "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a";

    // From the AWS General Reference's worked example, IAM ListUsers.
    private const string PublishedIamCanonicalRequest =
        "GET\n/\nAction=ListUsers&Version=2010-05-08\n" +
        "content-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
        "content-type;host;x-amz-date\n" +
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string PublishedIamSignature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    [Theory]
    [InlineData(PublishedFormCanonicalRequest, "service", "content-type;host;x-amz-date", PublishedFormSignature)]
    [InlineData(PublishedIamCanonicalRequest, "iam", "content-type;host;x-amz-date", PublishedIamSignature)]
    public void The_sdk_signing_key_and_hmac_chain_reproduce_the_published_signatures(
        string canonicalRequest, string service, string signedHeaders, string signature)
    {
        Assert.Equal(signature, Sign(canonicalRequest, service, signedHeaders));
    }

    [Fact]
    public async Task The_published_form_request_is_signed_as_aws_describes_with_the_payload_hash_header_added()
    {
        // The SDK handler also signs Content-Length and X-Amz-Content-SHA256; otherwise this is the published request.
        var transport = new ScriptedTransport(ScriptedTransport.Answer(HttpStatusCode.OK, "<ok/>"));
        using var http = new HttpClient(QuerySigning.CreateHandler(Credentials, "us-east-1", "service", transport, SignedAt));
        var content = new ByteArrayContent("Param1=value1"u8.ToArray());
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        await http.PostAsync("https://example.amazonaws.com/", content);

        const string canonicalRequest =
            "POST\n/\n\n" +
            "content-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n" +
            "x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\n" +
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date\n" +
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
        var sent = Assert.Single(transport.Requests);
        Assert.Equal("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", sent.Headers["X-Amz-Content-SHA256"]);
        AssertSigned(sent, "service", canonicalRequest);
    }

    [Fact]
    public async Task An_iam_call_is_a_signed_form_post_to_the_global_endpoint_scoped_to_us_east_1()
    {
        var transport = new ScriptedTransport(ScriptedTransport.Answer(HttpStatusCode.OK,
            """<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>false</IsTruncated><Roles/></ListRolesResult></ListRolesResponse>"""));
        var environment = new AwsEnvironment(Credentials, "eu-west-1", _ => null);
        var iam = new IamClient(environment, new QueryClientOptions { Transport = transport, SigningTime = SignedAt });

        await iam.ListRolesAsync("/kubes/demo/");

        const string body = "Action=ListRoles&Version=2010-05-08&PathPrefix=%2Fkubes%2Fdemo%2F";
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var canonicalRequest =
            "POST\n/\n\n" +
            $"content-length:{body.Length}\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\n" +
            $"x-amz-content-sha256:{payloadHash}\nx-amz-date:20150830T123600Z\n\n" +
            "content-length;content-type;host;x-amz-content-sha256;x-amz-date\n" +
            payloadHash;
        var sent = Assert.Single(transport.Requests);
        Assert.Equal((HttpMethod.Post, new Uri("https://iam.amazonaws.com/"), body), (sent.Method, sent.Uri, sent.Body));
        AssertSigned(sent, "iam", canonicalRequest);
    }

    [Fact]
    public async Task Session_credentials_send_and_sign_the_security_token()
    {
        var transport = new ScriptedTransport(ScriptedTransport.Answer(HttpStatusCode.OK, "<ok/>"));
        var session = new SessionAWSCredentials(AccessKey, SecretKey, "session-token-value");
        using var http = new HttpClient(QuerySigning.CreateHandler(session, "eu-west-1", "elasticloadbalancing", transport, SignedAt));

        await http.PostAsync("https://elasticloadbalancing.eu-west-1.amazonaws.com/", new StringContent("Action=DescribeTags"));

        var sent = Assert.Single(transport.Requests);
        Assert.Equal("session-token-value", sent.Headers["X-Amz-Security-Token"]);
        Assert.Contains("Credential=AKIDEXAMPLE/20150830/eu-west-1/elasticloadbalancing/aws4_request", sent.Headers["Authorization"]);
        Assert.Contains(";x-amz-security-token", sent.Headers["Authorization"]);
    }

    // Both requests sign the same five headers; the expected signature is computed from the canonical request written out in the test.
    private static void AssertSigned(RecordedRequest sent, string service, string canonicalRequest)
    {
        const string signedHeaders = "content-length;content-type;host;x-amz-content-sha256;x-amz-date";
        Assert.Equal("20150830T123600Z", sent.Headers["X-Amz-Date"]);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/{service}/aws4_request, " +
            $"SignedHeaders={signedHeaders}, Signature={Sign(canonicalRequest, service, signedHeaders)}",
            sent.Headers["Authorization"]);
    }

    private static string Sign(string canonicalRequest, string service, string signedHeaders) =>
        AWS4Signer.ComputeSignature(
            new ImmutableCredentials(AccessKey, SecretKey, null), "us-east-1", SignedAt, service, signedHeaders, canonicalRequest).Signature;
}
