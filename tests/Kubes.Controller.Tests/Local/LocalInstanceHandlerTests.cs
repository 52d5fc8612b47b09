using Kubes.Protos.Contract;
using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local;

[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class LocalInstanceHandlerTests
{
    /// <summary>The identity script, after it wrote what the instance's network looks like from inside.</summary>
    private static readonly string Script = IdentityScript.Before("""
        ip -4 -o addr show dev eth0 > "$KUBES_ROOT/addresses"
        ip -4 route show > "$KUBES_ROOT/routes"
        """);

    [Fact]
    public async Task Up_boots_each_slot_in_a_namespace_of_its_own_at_its_address_where_it_reads_its_own_identity_and_a_second_up_changes_nothing()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => Script);

        var first = await cluster.UpAsync();

        Assert.True(first.Succeeded, LocalClusterHarness.Describe(first));
        Assert.Equal(2, first.Applied);
        foreach (var slot in cluster.Topology.Slots)
        {
            var instance = await cluster.InstanceAsync(slot.Name);
            var (daemon, _) = await IdentityScript.BootedAsync(instance);
            Assert.Matches("^i-[0-9a-f]{17}$", instance.InstanceId);
            Assert.Equal(Path.Join(cluster.StateFolder, "instances", slot.Name), instance.RootFolder);
            Assert.Equal((LocalInstanceState.Running, slot.PrivateIp!.ToString(), slot.Zone.Zone),
                (instance.State, instance.PrivateIp, instance.Zone));
            Assert.Equal(new Uri($"http://{cluster.Topology.Reserved.Router}:{LocalMetadataService.DefaultPort}/"), instance.MetadataEndpoint);

            // The instance, the registry and the directory agree on who it is.
            Assert.Equal($"{instance.InstanceId} {slot.PrivateIp} {slot.Zone.Zone}\n",
                await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "identity")));
            var record = await cluster.Provider.Directory.FindAsync(instance.InstanceId);
            Assert.NotNull(record);
            Assert.Equal((InstanceState.Running, slot.PrivateIp), (record.State, record.PrivateIp));
            Assert.Equal(cluster.Spec.Name, record.Tags[InstanceTags.Cluster]);
            Assert.Equal(slot.Role.ToString().ToLowerInvariant(), record.Tags[InstanceTags.Role]);
            Assert.Equal(slot.Name, record.Tags[InstanceTags.Slot]);
            Assert.Equal($"local-instance/{slot.Name}", record.Tags[ClusterTags.Resource]);

            // Its network: its own namespace, its address on eth0 with the VPC's prefix, the VPC on-link and nothing else.
            Assert.Equal(cluster.Provider.NamespaceOf(instance.InstanceId), await NetworkTraces.NamespaceOfAsync(instance.Session!.Value.LeaderPid));
            Assert.Equal(cluster.Provider.NamespaceOf(instance.InstanceId), await NetworkTraces.NamespaceOfAsync(daemon));
            Assert.Contains($" eth0    inet {slot.PrivateIp}/16 ", await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "addresses")));
            Assert.Equal($"{cluster.Topology.VpcCidr} dev eth0 proto kernel scope link src {slot.PrivateIp} \n",
                await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "routes")));

            // So does its console log, and the daemon it left runs in a session of its own.
            await Eventually.TrueAsync(() => File.ReadAllText(instance.ConsoleLogPath).Contains("user-data exited with status 0"),
                "the console log to show the end of the user-data");
            var console = await File.ReadAllTextAsync(instance.ConsoleLogPath);
            Assert.Contains($"kubes-local: instance {instance.InstanceId} boots: bash {instance.UserDataPath}", console);
            Assert.Contains($"identity: {instance.InstanceId} {slot.PrivateIp} {slot.Zone.Zone}", console);
            Assert.NotEqual(instance.Session!.Value.LeaderPid, ProcessTable.Read(daemon)!.Value.SessionId);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(instance.UserDataPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(instance.ConsoleLogPath));
        }

        // The host routes each instance's /32 into the bridge, from the bridge's address, and nothing else of the VPC.
        var routes = await NetworkTraces.IpAsync("-4", "route", "show", "dev", cluster.Provider.Bridge);
        Assert.Equal(cluster.Topology.Slots.Select(s => $"{s.PrivateIp} scope link src {cluster.Topology.Reserved.Router} ").Order(),
            routes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var plan = await cluster.PlanAsync();
        Assert.True(plan.IsEmpty, string.Join(", ", plan.Changes.Select(c => $"{c.Action} {c.Key}")));
        var ids = (await cluster.Provider.Registry.ListAsync()).Select(i => i.InstanceId).Order().ToList();
        var second = await cluster.UpAsync();
        Assert.True(second.Succeeded, LocalClusterHarness.Describe(second));
        Assert.Equal(0, second.Applied);
        Assert.Equal(ids, (await cluster.Provider.Registry.ListAsync()).Select(i => i.InstanceId).Order());
    }

    [Fact]
    public async Task Destroy_stops_every_process_of_every_instance_in_any_session_and_removes_every_folder_and_the_whole_network()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var pids = new List<int>();
        var instances = new List<LocalInstance>();
        foreach (var slot in cluster.Topology.Slots)
        {
            var instance = await cluster.InstanceAsync(slot.Name);
            var (daemon, scrubbed) = await IdentityScript.BootedAsync(instance);
            Assert.False(ProcessTable.HasVariable(scrubbed, LocalProcessTrees.InstanceMarker, instance.InstanceId));
            Assert.Superset(new HashSet<int> { instance.Session!.Value.LeaderPid, daemon, scrubbed },
                LocalProcessTrees.MembersOf(instance.InstanceId, instance.Session).ToHashSet());
            pids.AddRange([instance.Session!.Value.LeaderPid, daemon, scrubbed]);
            instances.Add(instance);
        }
        Assert.NotEmpty(await cluster.NetworkTracesAsync());

        var destroyed = await cluster.DestroyAsync();

        Assert.True(destroyed.Succeeded, LocalClusterHarness.Describe(destroyed));
        Assert.Equal(3, destroyed.Applied);
        var running = ProcessTable.Running().Select(p => p.Pid).ToHashSet();
        Assert.False(running.Overlaps(pids), $"still running: {string.Join(", ", running.Intersect(pids))}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(cluster.Provider.InstancesFolder));
        Assert.Empty(await cluster.NetworkTracesAsync());
        foreach (var instance in instances)
        {
            Assert.Empty(LocalProcessTrees.MembersOf(instance.InstanceId, instance.Session));
            Assert.Equal(LocalInstanceState.Terminated, (await cluster.Provider.Registry.FindAsync(instance.InstanceId))!.State);
            Assert.Equal(InstanceState.Terminated, (await cluster.Provider.Directory.FindAsync(instance.InstanceId))!.State);
        }
        Assert.True((await cluster.Reconciler().DestroyAsync(new Aws.Handlers.RecordingProgress(), CancellationToken.None)).Plan.IsEmpty);
    }

    [Fact]
    public async Task An_instance_whose_init_died_is_planned_as_stopped_and_up_replaces_it_with_a_fresh_one_in_a_fresh_namespace()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text, etcd: 1, nodes: 0);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var old = await cluster.InstanceAsync("etcd-0");
        var (oldDaemon, _) = await IdentityScript.BootedAsync(old);

        ProcessTable.Signal(old.Session!.Value.LeaderPid, ProcessTable.SigKill);
        await Eventually.TrueAsync(() => !LocalProcessTrees.IsAlive(old.Session.Value), "the init to die");

        var change = Assert.Single((await cluster.PlanAsync()).Changes);
        Assert.Equal((ChangeAction.Update, "local-instance/etcd-0"), (change.Action, change.Key.ToString()));
        Assert.Equal([new FieldChange("state", "stopped", "running")], change.Fields);
        Assert.Equal(InstanceState.Terminated, (await cluster.Provider.Directory.FindAsync(old.InstanceId))!.State);

        var result = await cluster.UpAsync();

        Assert.True(result.Succeeded, LocalClusterHarness.Describe(result));
        var replacement = await cluster.InstanceAsync("etcd-0");
        Assert.NotEqual(old.InstanceId, replacement.InstanceId);
        await IdentityScript.BootedAsync(replacement);
        Assert.StartsWith(replacement.InstanceId + " ", await File.ReadAllTextAsync(Path.Join(replacement.RootFolder, "identity")));
        Assert.DoesNotContain(ProcessTable.Running(), p => p.Pid == oldDaemon);
        Assert.Equal(LocalInstanceState.Terminated, (await cluster.Provider.Registry.FindAsync(old.InstanceId))!.State);
        Assert.Equal([$"namespace {cluster.Provider.NamespaceOf(replacement.InstanceId)}"],
            (await cluster.NetworkTracesAsync()).Where(t => t.StartsWith("namespace ", StringComparison.Ordinal)));
        Assert.True((await cluster.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task A_launch_that_fails_once_its_namespace_exists_leaves_nothing_of_the_instance_behind()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text, etcd: 1, nodes: 0,
            bootstrap: new RefusingBootstrap());

        var result = await cluster.UpAsync();

        Assert.Contains("refused in the test", Assert.Single(result.Failed).Reason);
        var instance = Assert.Single(await cluster.Provider.Registry.ListAsync());
        Assert.Equal(LocalInstanceState.Terminated, instance.State);
        Assert.False(Directory.Exists(instance.RootFolder));
        Assert.Empty(LocalProcessTrees.MembersOf(instance.InstanceId, null));
        // The bridge stays for the next attempt; nothing of the instance does.
        Assert.Equal([$"link {cluster.Provider.Bridge}"],
            (await cluster.NetworkTracesAsync()).Where(t => !t.StartsWith("route local ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task What_a_run_left_without_a_registry_is_removed_before_the_next_up_boots_the_cluster_again()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var lost = new List<LocalInstance>();
        foreach (var slot in cluster.Topology.Slots)
        {
            var instance = await cluster.InstanceAsync(slot.Name);
            await IdentityScript.BootedAsync(instance);
            lost.Add(instance);
        }
        // The registry is gone (a state folder removed by hand, a crash between the namespace and the registry): the
        // instances' processes, namespaces and routes are no longer known to anything but their names.
        File.Delete(cluster.Provider.Registry.FilePath);

        var removed = await cluster.Provider.PrepareNetworkAsync(CancellationToken.None);

        Assert.Equal(lost.Select(i => $"namespace {cluster.Provider.NamespaceOf(i.InstanceId)}").Order()
                .Concat(lost.Select(i => $"route {i.PrivateIp}").Order()),
            removed);
        await Eventually.TrueAsync(() => lost.All(i => LocalProcessTrees.MembersOf(i.InstanceId, null).Count == 0),
            "every process of the lost instances to die");
        Assert.Equal([$"link {cluster.Provider.Bridge}"],
            (await cluster.NetworkTracesAsync()).Where(t => t.StartsWith("link ", StringComparison.Ordinal)
                                                          || t.StartsWith("namespace ", StringComparison.Ordinal)));

        var again = await cluster.UpAsync();

        Assert.True(again.Succeeded, LocalClusterHarness.Describe(again));
        foreach (var slot in cluster.Topology.Slots)
        {
            // A fresh instance on a fresh disk: nothing of the lost one's root folder is left to mislead it.
            var instance = await cluster.InstanceAsync(slot.Name);
            Assert.DoesNotContain(lost, l => l.InstanceId == instance.InstanceId);
            await IdentityScript.BootedAsync(instance);
            Assert.StartsWith(instance.InstanceId + " ", await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "identity")));
        }
    }

    [Fact]
    public async Task Two_clusters_run_side_by_side_each_on_its_own_bridge_and_neither_instance_reaches_the_other_cluster()
    {
        await using var other = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text, etcd: 1, nodes: 0);
        var otherCoordinator = other.Topology.Reserved.Router;
        // The instance tries the other cluster's coordinator address before it reads its own identity.
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Before($$"""
            if curl -sS --max-time 3 "http://{{otherCoordinator}}:{{LocalMetadataService.DefaultPort}}/" > "$KUBES_ROOT/other" 2>&1
            then echo reached >> "$KUBES_ROOT/other"; else echo "unreachable: $?" >> "$KUBES_ROOT/other"; fi
            """), etcd: 1, nodes: 0);
        Assert.NotEqual(other.Topology.VpcCidr, cluster.Topology.VpcCidr);
        Assert.NotEqual(other.Provider.Bridge, cluster.Provider.Bridge);

        Assert.True((await other.UpAsync()).Succeeded);
        Assert.True((await cluster.UpAsync()).Succeeded);

        var mine = await cluster.InstanceAsync("etcd-0");
        var theirs = await other.InstanceAsync("etcd-0");
        await IdentityScript.BootedAsync(mine);
        await IdentityScript.BootedAsync(theirs);
        Assert.StartsWith($"{mine.InstanceId} ", await File.ReadAllTextAsync(Path.Join(mine.RootFolder, "identity")));
        Assert.StartsWith($"{theirs.InstanceId} ", await File.ReadAllTextAsync(Path.Join(theirs.RootFolder, "identity")));
        // curl's exit code 7: no route from one cluster's namespace into the other's VPC.
        Assert.Contains("unreachable: 7", await File.ReadAllTextAsync(Path.Join(mine.RootFolder, "other")));
    }

    [Fact]
    public async Task Destroy_refuses_to_delete_a_root_folder_outside_the_instances_folder()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text, etcd: 1, nodes: 0);
        using var elsewhere = new Kubes.Controller.Tests.State.TempFolder();
        var slot = cluster.Topology.Slots[0];
        await cluster.Provider.Registry.AddAsync(new LocalInstance
        {
            InstanceId = LocalInstanceIds.New(),
            Slot = slot.Name,
            Role = "etcd",
            PrivateIp = slot.PrivateIp!.ToString(),
            Zone = slot.Zone.Zone,
            RootFolder = elsewhere.Path,
            Tags = cluster.Provider.TagsOf(LocalClusterModel.Instance(slot), slot),
            MetadataEndpoint = cluster.Provider.Endpoints.MetadataUrl,
        });

        var result = await cluster.DestroyAsync();

        Assert.Contains("refusing to delete", Assert.Single(result.Failed).Reason);
        Assert.True(Directory.Exists(elsewhere.Path));
    }

    /// <summary>Binding the join token to the new instance fails: the launch fails after its namespace was made.</summary>
    private sealed class RefusingBootstrap : IInstanceBootstrap
    {
        public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) => Task.FromResult(IdentityScript.Text);

        public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"binding the token of {instanceId} refused in the test");
    }
}
