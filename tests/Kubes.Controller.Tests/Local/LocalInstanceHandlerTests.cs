using Kubes.Protos.Contract;
using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Local.Support;

namespace Kubes.Controller.Tests.Local;

[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class LocalInstanceHandlerTests
{
    [Fact]
    public async Task Up_boots_each_slot_at_its_address_where_it_reads_its_own_identity_and_a_second_up_changes_nothing()
    {
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text);

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
            Assert.Equal(new Uri($"http://{slot.PrivateIp}:{cluster.Provider.MetadataPort}/"), instance.MetadataEndpoint);

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

        var plan = await cluster.PlanAsync();
        Assert.True(plan.IsEmpty, string.Join(", ", plan.Changes.Select(c => $"{c.Action} {c.Key}")));
        var ids = (await cluster.Provider.Registry.ListAsync()).Select(i => i.InstanceId).Order().ToList();
        var second = await cluster.UpAsync();
        Assert.True(second.Succeeded, LocalClusterHarness.Describe(second));
        Assert.Equal(0, second.Applied);
        Assert.Equal(ids, (await cluster.Provider.Registry.ListAsync()).Select(i => i.InstanceId).Order());
    }

    [Fact]
    public async Task Destroy_stops_every_process_of_every_instance_in_any_session_and_removes_every_folder()
    {
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text);
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

        var destroyed = await cluster.DestroyAsync();

        Assert.True(destroyed.Succeeded, LocalClusterHarness.Describe(destroyed));
        Assert.Equal(2, destroyed.Applied);
        var running = ProcessTable.Running().Select(p => p.Pid).ToHashSet();
        Assert.False(running.Overlaps(pids), $"still running: {string.Join(", ", running.Intersect(pids))}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(cluster.Provider.InstancesFolder));
        Assert.Empty(cluster.Metadata.Served);
        foreach (var instance in instances)
        {
            Assert.Empty(LocalProcessTrees.MembersOf(instance.InstanceId, instance.Session));
            Assert.Equal(LocalInstanceState.Terminated, (await cluster.Provider.Registry.FindAsync(instance.InstanceId))!.State);
            Assert.Equal(InstanceState.Terminated, (await cluster.Provider.Directory.FindAsync(instance.InstanceId))!.State);
        }
        Assert.True((await cluster.Reconciler().DestroyAsync(new Aws.Handlers.RecordingProgress(), CancellationToken.None)).Plan.IsEmpty);
    }

    [Fact]
    public async Task An_instance_whose_init_died_is_planned_as_stopped_and_up_replaces_it_with_a_fresh_one()
    {
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text, etcd: 1, nodes: 0);
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
        Assert.True((await cluster.PlanAsync()).IsEmpty);
    }

    [Fact]
    public async Task A_launch_whose_metadata_nobody_serves_fails_with_the_next_step_and_leaves_nothing_behind()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text, etcd: 1, nodes: 0,
            publisher: _ => new RemoteMetadataPublisher(http, TimeSpan.FromSeconds(1)));

        var result = await cluster.UpAsync();

        var failure = Assert.Single(result.Failed);
        Assert.Contains("kubes serve", failure.Reason);
        var instance = Assert.Single(await cluster.Provider.Registry.ListAsync());
        Assert.Equal(LocalInstanceState.Terminated, instance.State);
        Assert.False(Directory.Exists(instance.RootFolder));
        Assert.Empty(LocalProcessTrees.MembersOf(instance.InstanceId, null));
    }

    [Fact]
    public async Task Another_process_following_the_registry_serves_the_metadata_of_instances_this_one_launches()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text,
            publisher: _ => new RemoteMetadataPublisher(http, TimeSpan.FromSeconds(30)));
        // The "kubes serve" side: its own registry object over the same file, its own metadata service.
        await using var serve = new LocalMetadataService();
        using var stop = new CancellationTokenSource();
        var following = serve.FollowAsync(new LocalInstanceRegistry(cluster.StateFolder), TimeSpan.FromMilliseconds(100), stop.Token);

        var up = await cluster.UpAsync();

        Assert.True(up.Succeeded, LocalClusterHarness.Describe(up));
        foreach (var slot in cluster.Topology.Slots)
        {
            var instance = await cluster.InstanceAsync(slot.Name);
            await IdentityScript.BootedAsync(instance);
            Assert.StartsWith(instance.InstanceId + " ", await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "identity")));
        }
        Assert.Equal(2, serve.Served.Count);

        Assert.True((await cluster.DestroyAsync()).Succeeded);
        await Eventually.TrueAsync(() => serve.Served.Count == 0, "kubes serve to stop serving terminated instances");
        await stop.CancelAsync();
        await following;
    }

    [Fact]
    public async Task Destroy_refuses_to_delete_a_root_folder_outside_the_instances_folder()
    {
        await using var cluster = new LocalClusterHarness(_ => IdentityScript.Text, etcd: 1, nodes: 0);
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
            MetadataEndpoint = cluster.Provider.MetadataEndpointOf(slot.PrivateIp),
        });

        var result = await cluster.DestroyAsync();

        Assert.Contains("refusing to delete", Assert.Single(result.Failed).Reason);
        Assert.True(Directory.Exists(elsewhere.Path));
    }
}
