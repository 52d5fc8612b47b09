using Kubes.Bench.Mailbox;

namespace Kubes.Bench.Tests.Mailbox;

[Collection(SmokeRun.Name)]
public sealed class MailboxScenarioTests
{
    [Fact]
    public async Task Every_queued_request_is_answered_in_one_pass_with_one_listing_of_each_folder()
    {
        var output = new StringWriter();
        var run = await MailboxScenario.RunAsync(agents: 8, output);

        Assert.True(run.Answered == 8, output.ToString());
        Assert.Equal(1, run.Passes);
        Assert.Equal(2, run.CallsByAction["s3:ListObjectsV2"]);
        // A status refresh with nothing changed is one listing.
        Assert.InRange(run.StatusRefreshCalls, 2, 2 + 8);
    }
}
