using Grpc.Core;
using Kubes.Agent.Channels;

namespace Kubes.Agent.Tests.Channels;

public sealed class RegistrarStatusTests
{
    [Theory]
    [InlineData(StatusCode.PermissionDenied)]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.Unauthenticated)]
    public void Refusals_are_permanent(StatusCode code) =>
        Assert.IsType<RegistrarRefusedException>(RegistrarStatus.ToException(code, "no", "test"));

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.Internal)]
    public void Everything_else_is_retried(StatusCode code) =>
        Assert.IsType<RegistrarUnavailableException>(RegistrarStatus.ToException(code, "later", "test"));

    [Fact]
    public void A_mailbox_error_maps_like_the_grpc_status_of_the_same_name()
    {
        var refused = Assert.IsType<RegistrarRefusedException>(RegistrarStatus.FromMailboxError("PermissionDenied", "token used", "mailbox"));
        Assert.Equal(StatusCode.PermissionDenied, refused.Code);
        Assert.IsType<RegistrarUnavailableException>(RegistrarStatus.FromMailboxError("Unavailable", "busy", "mailbox"));
        Assert.IsType<RegistrarUnavailableException>(RegistrarStatus.FromMailboxError("NoSuchCode", "?", "mailbox"));
    }
}
