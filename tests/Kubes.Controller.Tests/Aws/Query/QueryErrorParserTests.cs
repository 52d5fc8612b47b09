using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Tests.Aws.Query;

public sealed class QueryErrorParserTests
{
    [Fact]
    public void An_iam_error_document_gives_code_message_and_request_id()
    {
        const string body =
            """<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name demo-etcd cannot be found.</Message></Error><RequestId>4e5f-1</RequestId></ErrorResponse>""";

        var error = QueryErrorParser.Parse("iam", "GetRole", "role demo-etcd", 404, body, requestIdHeader: null);

        Assert.Equal(("iam", "GetRole", "role demo-etcd"), (error.Service, error.Action, error.Resource));
        Assert.Equal(("NoSuchEntity", "The role with name demo-etcd cannot be found.", "4e5f-1", 404), (error.Code, error.AwsMessage, error.RequestId, error.HttpStatus));
        Assert.True(error.IsNotFound);
        Assert.False(error.IsRetryable);
        Assert.Equal(
            "AWS iam:GetRole on role demo-etcd failed: NoSuchEntity: The role with name demo-etcd cannot be found. " +
            "(HTTP 404, request id 4e5f-1). The role demo-etcd does not exist (any more).",
            error.Message);
    }

    [Fact]
    public void Access_denied_names_the_action_and_resource_and_says_what_to_grant()
    {
        const string body =
            """<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::1:user/ops is not authorized to perform: elasticloadbalancing:CreateLoadBalancer</Message></Error><RequestId>r-9</RequestId></ErrorResponse>""";

        var error = QueryErrorParser.Parse("elasticloadbalancing", "CreateLoadBalancer", "load balancer demo-api", 403, body, null);

        Assert.True(error.IsAccessDenied);
        Assert.False(error.IsRetryable);
        Assert.Contains("elasticloadbalancing:CreateLoadBalancer on load balancer demo-api", error.Message);
        Assert.Contains("Grant that identity elasticloadbalancing:CreateLoadBalancer", error.Message);
        Assert.Contains("AWS_PROFILE", error.Message);
    }

    [Theory]
    [InlineData("Throttling", 400)]
    [InlineData("RequestLimitExceeded", 503)]
    [InlineData("TooManyRequestsException", 400)]
    [InlineData("Anything", 429)]
    public void Throttling_codes_and_http_429_are_throttling_and_retryable(string code, int status)
    {
        var body = $"<ErrorResponse><Error><Code>{code}</Code><Message>Rate exceeded</Message></Error><RequestId>t</RequestId></ErrorResponse>";

        var error = QueryErrorParser.Parse("autoscaling", "DescribeAutoScalingGroups", "all Auto Scaling groups", status, body, null);

        Assert.True(error.IsThrottling);
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void Auto_scaling_reports_a_missing_group_as_a_validation_error_that_counts_as_not_found()
    {
        const string body =
            """<ErrorResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>AutoScalingGroup name not found - AutoScalingGroup 'x' not found</Message></Error><RequestId>a</RequestId></ErrorResponse>""";
        const string invalid =
            """<ErrorResponse><Error><Code>ValidationError</Code><Message>Max bound, 1, must be greater than or equal to min bound, 3</Message></Error></ErrorResponse>""";

        Assert.True(QueryErrorParser.Parse("autoscaling", "DeleteAutoScalingGroup", "Auto Scaling group x", 400, body, null).IsNotFound);
        Assert.False(QueryErrorParser.Parse("autoscaling", "UpdateAutoScalingGroup", "Auto Scaling group x", 400, invalid, null).IsNotFound);
    }

    [Fact]
    public void An_ec2_style_error_document_is_understood_too()
    {
        const string body =
            """<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized.</Message></Error></Errors><RequestID>ec2-req</RequestID></Response>""";

        var error = QueryErrorParser.Parse("ec2", "RunInstances", "instance etcd-0", 403, body, null);

        Assert.Equal(("UnauthorizedOperation", "ec2-req"), (error.Code, error.RequestId));
        Assert.True(error.IsAccessDenied);
    }

    [Fact]
    public void Rejected_credentials_point_at_the_credential_settings()
    {
        const string body =
            """<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error><RequestId>c</RequestId></ErrorResponse>""";

        var error = QueryErrorParser.Parse("iam", "ListRoles", "roles under /kubes/demo/", 403, body, null);

        Assert.True(error.IsCredentialProblem);
        Assert.Contains("AWS_ACCESS_KEY_ID", error.Message);
    }

    [Theory]
    [InlineData(503, "<html><body>Service Unavailable</body></html>", "Http503", true)]
    [InlineData(500, "", "Http500", true)]
    [InlineData(400, "not xml at all", "Http400", false)]
    public void A_body_without_an_error_document_is_reported_by_status_with_the_header_request_id(
        int status, string body, string code, bool retryable)
    {
        var error = QueryErrorParser.Parse("iam", "GetRole", "role demo", status, body, requestIdHeader: "from-header");

        Assert.Equal((code, "from-header", status), (error.Code, error.RequestId, error.HttpStatus));
        Assert.Equal(retryable, error.IsRetryable);
        if (body.Length > 0) Assert.Contains(body, error.AwsMessage);
    }
}
