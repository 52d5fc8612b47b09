using Kubes.Agent.Tests.Components.Etcd;

namespace Kubes.StandIns.Tests.Support;

/// <summary>The tests that run the stand-ins against the real three-member TLS etcd the agent installs.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdClusterFixture>
{
    public const string Name = "etcd";

    public static IReadOnlyList<Uri> ClientUrls(EtcdClusterFixture etcd) =>
        etcd.Addresses.Select(a => new Uri($"https://{a}:{etcd.ClientPort}")).ToList();
}
