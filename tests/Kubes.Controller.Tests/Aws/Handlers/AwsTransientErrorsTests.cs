using Amazon.EC2;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Tests.Aws.Handlers;

public sealed class AwsTransientErrorsTests
{
    [Theory]
    // A deleted load balancer's network interfaces hold its subnets and group for minutes.
    [InlineData("DependencyViolation", FailureKind.Releasing)]
    // A terminating instance holds its data volume until it is gone: the replacement's attach waits it out.
    [InlineData("VolumeInUse", FailureKind.Releasing)]
    [InlineData("InvalidIPAddress.InUse", FailureKind.Releasing)]
    [InlineData("RequestLimitExceeded", FailureKind.Transient)]
    [InlineData("InvalidInstanceID.NotFound", FailureKind.Transient)]
    [InlineData("IncorrectInstanceState", FailureKind.Transient)]
    // A resumed launch under an interrupted one's client token: retried, its describe then finds that instance.
    [InlineData("IdempotentParameterMismatch", FailureKind.Transient)]
    [InlineData("UnauthorizedOperation", FailureKind.Permanent)]
    [InlineData("InvalidParameterCombination", FailureKind.Permanent)]
    public void An_ec2_error_code_is_retried_as_long_as_its_cause_lasts(string code, FailureKind kind) =>
        Assert.Equal(kind, AwsTransientErrors.Classify(new AmazonEC2Exception("refused") { ErrorCode = code, StatusCode = System.Net.HttpStatusCode.BadRequest }));

    [Theory]
    [InlineData("DependencyViolation", 400, FailureKind.Releasing)]
    [InlineData("DeleteConflict", 409, FailureKind.Transient)]
    [InlineData("Throttling", 400, FailureKind.Transient)]
    [InlineData("InternalFailure", 500, FailureKind.Transient)]
    [InlineData("AccessDenied", 403, FailureKind.Permanent)]
    public void A_query_service_error_is_classified_by_its_code_and_status(string code, int status, FailureKind kind) =>
        Assert.Equal(kind, AwsTransientErrors.Classify(new AwsServiceException("iam", "DeleteRole", "role r", code, "m", "req", status)));
}
