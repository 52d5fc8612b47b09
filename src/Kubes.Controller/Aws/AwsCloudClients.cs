using Amazon.EC2;
using Amazon.S3;
using Amazon.SecurityToken;
using Kubes.Controller.Aws.AutoScaling;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Aws.LoadBalancing;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws;

/// <summary>Every AWS client a cluster needs, on one environment, every call reported to one observer.</summary>
public sealed class AwsCloudClients : IDisposable
{
    public AwsCloudClients(AwsEnvironment environment, IAwsCallObserver? observer = null)
    {
        observer ??= AwsCallObserver.None;
        Environment = environment;
        Ec2 = environment.CreateEc2Client(observer);
        S3 = environment.CreateS3Client(observer);
        Sts = environment.CreateStsClient(observer);
        var options = new QueryClientOptions { Observer = observer };
        Iam = new IamClient(environment, options);
        LoadBalancing = new LoadBalancingClient(environment, options);
        AutoScaling = new AutoScalingClient(environment, options);
    }

    public AwsEnvironment Environment { get; }
    public IAmazonEC2 Ec2 { get; }
    public IAmazonS3 S3 { get; }
    public IAmazonSecurityTokenService Sts { get; }
    public IamClient Iam { get; }
    public LoadBalancingClient LoadBalancing { get; }
    public AutoScalingClient AutoScaling { get; }

    public void Dispose()
    {
        Ec2.Dispose();
        S3.Dispose();
        Sts.Dispose();
    }
}
