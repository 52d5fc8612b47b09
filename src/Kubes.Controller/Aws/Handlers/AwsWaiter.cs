namespace Kubes.Controller.Aws.Handlers;

/// <summary>Polls until AWS reports the state an operation needs (a volume available, an instance terminated).</summary>
public sealed class AwsWaiter(TimeSpan interval, TimeSpan timeout)
{
    public static AwsWaiter Default { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10));

    public async Task UntilAsync(string what, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"gave up waiting after {timeout.TotalMinutes:0} min for {what}; run the command again to resume");
            await Task.Delay(interval, cancellationToken);
        }
    }
}
