using Kubes.Agent.Configuration;

namespace Kubes.Agent.Tests.Configuration;

public sealed class AgentPathsTests
{
    [Fact]
    public void On_a_real_host_paths_are_the_host_paths()
    {
        var paths = new AgentPaths("/");

        Assert.True(paths.IsHostRoot);
        Assert.Equal("/etc/kubes/pki", paths.PkiDir);
        Assert.Equal("/var/lib/kubes-agent/journal.json", paths.JournalFile);
        Assert.Equal("/etc/systemd/system", paths.UnitDir);
        Assert.Equal("/data", paths.Under("/data"));
    }

    [Fact]
    public void Under_a_root_folder_every_path_moves_into_it()
    {
        var paths = new AgentPaths("/srv/instances/i-1/");

        Assert.False(paths.IsHostRoot);
        Assert.Equal("/srv/instances/i-1/etc/kubes/pki", paths.PkiDir);
        Assert.Equal("/srv/instances/i-1/data/etcd", paths.Under("/data/etcd"));
        Assert.Equal("/srv/instances/i-1/usr/local/bin", paths.BinDir);
    }
}
