using Amazon.EC2;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>What the instance booter needs of an emulator that is not started yet (it listens on the bridge the booter
/// creates): EC2 for the instances and their user-data, IAM and STS for each instance's own profile credentials.</summary>
public sealed class EmulatorClients : IDisposable
{
    private readonly IAmazonSecurityTokenService _sts;

    private EmulatorClients(AwsEnvironment environment)
    {
        Ec2 = environment.CreateEc2Client();
        _sts = environment.CreateStsClient();
        InstanceProfiles = new AssumedRoleCredentials(new IamClient(environment), _sts);
    }

    public IAmazonEC2 Ec2 { get; }
    public AssumedRoleCredentials InstanceProfiles { get; }

    public static EmulatorClients At(Uri endpoint) => new(new AwsEnvironment(
        new BasicAWSCredentials(MotoServer.AccessKeyId, MotoServer.SecretAccessKey), MotoServer.Region,
        name => name == "AWS_ENDPOINT_URL" ? endpoint.ToString() : null, "emulator"));

    public void Dispose()
    {
        Ec2.Dispose();
        _sts.Dispose();
    }
}
