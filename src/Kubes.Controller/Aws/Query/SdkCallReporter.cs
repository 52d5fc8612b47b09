using Amazon.Runtime;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Reports the calls of an AWS SDK client (EC2, S3, STS) to an <see cref="IAwsCallObserver"/>, the same way the
/// Query clients report theirs. The SDK raises <c>BeforeRequestEvent</c> once per operation, outside its retry loop,
/// with the typed request, whose type name is the action (<c>DescribeVpcsRequest</c> → <c>DescribeVpcs</c>). A failed
/// call's exception is marked with its <c>service:Action</c> (<see cref="FailedActionOf"/>): the SDK's own messages
/// do not say which call AWS refused.
/// </summary>
public static class SdkCallReporter
{
    public static TClient ReportingTo<TClient>(this TClient client, AwsService service, IAwsCallObserver observer)
        where TClient : AmazonServiceClient
    {
        client.BeforeRequestEvent += (_, args) =>
        {
            if (args is WebServiceRequestEventArgs { Request: { } request })
                observer.OnCall(AwsCall.For(service.Name, ActionOf(request)));
        };
        client.ExceptionEvent += (_, args) =>
        {
            if (args is WebServiceExceptionEventArgs { Request: { } request, Exception: { } error })
                error.Data[FailedActionKey] = $"{service.Name}:{ActionOf(request)}";
        };
        return client;
    }

    private const string FailedActionKey = "kubes.aws.action";

    /// <summary>The <c>service:Action</c> (IAM's spelling, e.g. <c>ec2:RunInstances</c>) whose call failed with <paramref name="error"/>.</summary>
    public static string? FailedActionOf(Exception error) => error.Data[FailedActionKey] as string;

    internal static string ActionOf(AmazonWebServiceRequest request)
    {
        var name = request.GetType().Name;
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }
}
