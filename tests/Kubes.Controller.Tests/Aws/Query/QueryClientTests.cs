using System.Net;
using Amazon.Runtime;
using Kubes.Controller.Aws.Query;
using static Kubes.Controller.Tests.Aws.Query.ScriptedTransport;

namespace Kubes.Controller.Tests.Aws.Query;

public sealed class QueryClientTests
{
    private const string Throttled =
        """<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>""";
    private const string Invalid =
        """<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>bad</Message></Error><RequestId>v</RequestId></ErrorResponse>""";
    private const string Roles =
        """<ListRolesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListRolesResult><IsTruncated>false</IsTruncated><Roles/></ListRolesResult><ResponseMetadata><RequestId>ok</RequestId></ResponseMetadata></ListRolesResponse>""";

    private readonly List<TimeSpan> delays = [];
    private readonly AwsCallCounter calls = new();

    private QueryClient Client(ScriptedTransport transport, int maxAttempts = 4, int? pageSize = null) =>
        new(AwsService.Iam, "2010-05-08",
            new AwsEndpoint(new Uri("https://iam.amazonaws.com/"), "us-east-1", "default"),
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            new QueryClientOptions
            {
                Transport = transport,
                Observer = calls,
                PageSize = pageSize,
                Retry = new QueryRetryPolicy
                {
                    MaxAttempts = maxAttempts,
                    BaseDelay = TimeSpan.FromMilliseconds(100),
                    Jitter = () => 0.5,
                    Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; },
                },
            });

    [Fact]
    public async Task Throttling_is_retried_with_growing_jittered_delays_until_it_succeeds()
    {
        var transport = new ScriptedTransport(Answer(HttpStatusCode.BadRequest, Throttled), Answer(HttpStatusCode.BadRequest, Throttled), Answer(HttpStatusCode.OK, Roles));

        var result = await Client(transport).SendAsync("ListRoles", new QueryParameters(), "roles", CancellationToken.None);

        Assert.Equal("ListRolesResult", result.Name.LocalName);
        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], delays);
        Assert.Equal([new AwsCall("iam", "ListRoles", false)], calls.Calls);
    }

    [Fact]
    public async Task Server_errors_are_retried_up_to_the_attempt_limit_then_reported_with_the_count()
    {
        var transport = new ScriptedTransport(
            Answer(HttpStatusCode.InternalServerError, ""), Answer(HttpStatusCode.BadGateway, "<html>bad gateway</html>"), Answer(HttpStatusCode.ServiceUnavailable, Throttled));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Client(transport, maxAttempts: 3).SendAsync("CreateRole", new QueryParameters(), "role demo-etcd", CancellationToken.None));

        Assert.Equal(("Throttling", 503, 3), (error.Code, error.HttpStatus, error.Attempts));
        Assert.Contains("after 3 attempt(s)", error.Message);
        Assert.Equal(3, transport.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        var transport = new ScriptedTransport(Answer(HttpStatusCode.BadRequest, Invalid));

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Client(transport).SendAsync("CreateRole", new QueryParameters(), "role demo-etcd", CancellationToken.None));

        Assert.Equal("ValidationError", error.Code);
        Assert.Single(transport.Requests);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task A_lost_connection_is_retried_and_a_dead_endpoint_is_reported_as_such()
    {
        var recovers = new ScriptedTransport(Fail(new HttpRequestException("Connection refused")), Answer(HttpStatusCode.OK, Roles));
        var dead = new ScriptedTransport(Fail(new HttpRequestException("Connection refused")), Fail(new HttpRequestException("Connection refused")));

        await Client(recovers).SendAsync("ListRoles", new QueryParameters(), "roles", CancellationToken.None);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            Client(dead, maxAttempts: 2).SendAsync("ListRoles", new QueryParameters(), "roles", CancellationToken.None));

        Assert.Equal(2, recovers.Requests.Count);
        Assert.True(error.IsConnectionFailure);
        Assert.Equal(0, error.HttpStatus);
        Assert.Contains("https://iam.amazonaws.com/", error.Message);
        Assert.Contains("AWS_ENDPOINT_URL", error.Message);
    }

    [Fact]
    public async Task A_cancelled_call_is_not_retried()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var transport = new ScriptedTransport(Answer(HttpStatusCode.OK, Roles));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client(transport).SendAsync("ListRoles", new QueryParameters(), "roles", cancelled.Token));

        Assert.Empty(delays);
    }

    [Fact]
    public async Task A_list_sends_the_page_size_and_each_returned_marker_until_none_is_returned()
    {
        static string Page(string names, string? marker) =>
            $"""<ListRolePoliciesResponse><ListRolePoliciesResult><PolicyNames>{names}</PolicyNames><IsTruncated>{(marker is null ? "false" : "true")}</IsTruncated>{(marker is null ? "" : $"<Marker>{marker}</Marker>")}</ListRolePoliciesResult></ListRolePoliciesResponse>""";
        var transport = new ScriptedTransport(
            Answer(HttpStatusCode.OK, Page("<member>a</member><member>b</member>", "m/1+")),
            Answer(HttpStatusCode.OK, Page("<member>c</member>", null)));

        var names = await Client(transport, pageSize: 2).ListAsync(
            "ListRolePolicies", new QueryParameters().Add("RoleName", "r"), "role r", QueryPaging.Iam,
            result => result.Strings("PolicyNames"), CancellationToken.None);

        Assert.Equal(["a", "b", "c"], names);
        Assert.Equal(
            ["Action=ListRolePolicies&Version=2010-05-08&RoleName=r&MaxItems=2",
             "Action=ListRolePolicies&Version=2010-05-08&RoleName=r&MaxItems=2&Marker=m%2F1%2B"],
            transport.Requests.Select(request => request.Body));
        Assert.Equal(2, calls.Count("iam", "ListRolePolicies"));
    }

    [Fact]
    public async Task An_action_without_output_gives_an_empty_result()
    {
        var transport = new ScriptedTransport(Answer(HttpStatusCode.OK,
            """<DeleteRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>d</RequestId></ResponseMetadata></DeleteRoleResponse>"""));

        var result = await Client(transport).SendAsync("DeleteRole", new QueryParameters(), "role r", CancellationToken.None);

        Assert.Equal("DeleteRoleResult", result.Name.LocalName);
        Assert.Empty(result.Elements());
        Assert.Equal([new AwsCall("iam", "DeleteRole", true)], calls.Calls);
    }

    [Fact]
    public async Task A_success_that_is_not_xml_says_the_endpoint_is_wrong()
    {
        var transport = new ScriptedTransport(Answer(HttpStatusCode.OK, "<html><body>Welcome to nginx"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Client(transport).SendAsync("GetRole", new QueryParameters(), "role r", CancellationToken.None));

        Assert.Contains("AWS_ENDPOINT_URL", error.Message);
    }
}
