using System.Net;
using System.Net.Sockets;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Amazon.SecurityToken.Model;
using Kubes.Controller.Aws.Iam;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.Query;

[Collection(MotoServer.Collection)]
public sealed class SdkCallReporterTests(MotoServer moto) : IAsyncLifetime
{
    private readonly AwsCallCounter calls = new();

    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Sdk_clients_report_each_operation_once_named_like_the_query_clients_do()
    {
        var environment = moto.Environment();
        using var ec2 = environment.CreateEc2Client(calls);
        using var s3 = environment.CreateS3Client(calls);
        using var sts = environment.CreateStsClient(calls);

        await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" });
        await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = "kubes-demo-state" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "kubes-demo-state", Key = "mailbox/join", ContentBody = "hello" });
        using var read = await s3.GetObjectAsync("kubes-demo-state", "mailbox/join");
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal(
            [
                new AwsCall("ec2", "CreateVpc", true), new AwsCall("ec2", "DescribeVpcs", false),
                new AwsCall("s3", "PutBucket", true), new AwsCall("s3", "PutObject", true), new AwsCall("s3", "GetObject", false),
                new AwsCall("sts", "GetCallerIdentity", false),
            ],
            calls.Calls);
        Assert.Equal((6, 3), (calls.Total, calls.Mutations));
        Assert.Equal(["ec2:CreateVpc", "ec2:DescribeVpcs", "s3:GetObject", "s3:PutBucket", "s3:PutObject", "sts:GetCallerIdentity"], calls.ByAction().Keys);
        Assert.Equal("hello", await new StreamReader(read.ResponseStream).ReadToEndAsync());
    }

    [Fact]
    public async Task A_service_variable_moves_that_service_alone_for_sdk_and_query_clients_alike()
    {
        var nowhere = $"http://127.0.0.1:{UnusedPort()}/";
        var environment = moto.Environment(new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = nowhere,
            ["AWS_ENDPOINT_URL_EC2"] = moto.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_IAM"] = moto.Endpoint.ToString(),
        });
        using var ec2 = environment.CreateEc2Client();

        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        var roles = await new IamClient(environment).ListRolesAsync();

        Assert.NotNull(vpcs.Vpcs);
        Assert.Empty(roles);
        Assert.Equal(new Uri(nowhere), environment.EndpointFor(AwsService.AutoScaling).Url);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
