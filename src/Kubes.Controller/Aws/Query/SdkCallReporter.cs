using Amazon.Runtime;

namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Reports the calls of an AWS SDK client (EC2, S3, STS) to an <see cref="IAwsCallObserver"/>, the same way the
/// Query clients report theirs. The SDK raises <c>BeforeRequestEvent</c> once per operation, outside its retry loop,
/// with the typed request, whose type name is the action (<c>DescribeVpcsRequest</c> → <c>DescribeVpcs</c>).
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
        return client;
    }

    internal static string ActionOf(AmazonWebServiceRequest request)
    {
        var name = request.GetType().Name;
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }
}
