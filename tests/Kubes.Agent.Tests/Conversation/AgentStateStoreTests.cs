using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Conversation;

public sealed class AgentStateStoreTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_join_is_kept_owner_only_and_resumed_by_the_same_instance_only()
    {
        var paths = new AgentPaths(_root.Path);
        var joined = new JoinResponse { AgentCredential = "secret", RoleConfig = new RoleConfig { Name = "etcd-0" } };
        new AgentStateStore(paths).Save("i-1", joined);

        var store = new AgentStateStore(paths);

        Assert.Equal(joined, store.Load("i-1"));
        Assert.Null(store.Load("i-2"));
        foreach (var file in Directory.GetFiles(paths.StateDir))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Nothing_saved_means_not_joined() => Assert.Null(new AgentStateStore(new AgentPaths(_root.Path)).Load("i-1"));
}
