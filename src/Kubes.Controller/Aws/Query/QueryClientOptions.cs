namespace Kubes.Controller.Aws.Query;

/// <summary>How a Query client behaves beyond where it sends requests; the defaults are for production.</summary>
public sealed record QueryClientOptions
{
    public static QueryClientOptions Default { get; } = new();

    public IAwsCallObserver Observer { get; init; } = AwsCallObserver.None;
    public QueryRetryPolicy Retry { get; init; } = QueryRetryPolicy.Default;
    /// <summary>Sends the signed requests; null means a process-wide pooled <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? Transport { get; init; }
    /// <summary>Items per page of a list call; null lets the service choose (its maximum).</summary>
    public int? PageSize { get; init; }
    /// <summary>Signs every request as of this instant instead of now: only for reproducing published signatures.</summary>
    public DateTime? SigningTime { get; init; }
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
