namespace Kubes.Controller.Aws.Query;

/// <summary>Told about every AWS API call before it is sent, from the Query clients and the SDK clients alike.</summary>
public interface IAwsCallObserver
{
    void OnCall(AwsCall call);
}

/// <summary>Observers to start from.</summary>
public static class AwsCallObserver
{
    public static IAwsCallObserver None { get; } = new NoObserver();

    private sealed class NoObserver : IAwsCallObserver
    {
        public void OnCall(AwsCall call) { }
    }
}
