using Amazon.S3;
using Grpc.Core;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;

namespace Kubes.Controller.Tests.Channels.Mailbox;

/// <summary>The shared contract over the mailbox in an S3 state store (moto).</summary>
[Collection(MotoRegistrarCollection.Name)]
public sealed class S3MailboxContractTests : RegistrarContractTests
{
    private const string Bucket = "kubes-mailbox-test";
    private readonly MotoS3Fixture _moto;
    private readonly AmazonS3Client _s3;

    public S3MailboxContractTests(MotoS3Fixture moto)
    {
        _moto = moto;
        _s3 = moto.CreateS3Client();
    }

    protected override StatusCode OversizedRequestCode => StatusCode.InvalidArgument;

    private IStateStore Open() => new S3StateStore(_s3, S3StateLocation.Parse($"s3://{Bucket}/prod"));

    protected override async Task<IStateStore> CreateStoreAsync()
    {
        await _moto.ResetAsync();
        await _s3.PutBucketAsync(Bucket);
        return Open();
    }

    protected override Task<IAgentChannel> OpenChannelAsync(RegistrarWorld world) =>
        Task.FromResult<IAgentChannel>(new MailboxAgentChannel(
            Open(), new MailboxAnswerer(world.Store, world.Registrar, time: world.Clock)));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _s3.Dispose();
    }
}
