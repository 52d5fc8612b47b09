using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Local;

/// <summary>
/// <c>local-instance</c> resources for the reconciler: found in the registry, created by booting a process tree in a
/// network namespace of its own at the slot's address, deleted by stopping it and removing its namespace and root
/// folder. An instance whose init is gone is found, and planned as an update to <c>running</c>; an update replaces the
/// instance, since a local one is cheap to boot again. Its metadata is answered as soon as it is registered
/// (<see cref="LocalMetadataService"/>).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalInstanceHandler(LocalCloud provider, IInstanceBootstrap bootstrap) : IResourceHandler
{
    public string Type => LocalClusterModel.InstanceType;

    public int DeleteOrder => 20;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken)
    {
        var found = new List<ActualResource>();
        foreach (var instance in (await provider.Registry.ListAsync(cancellationToken)).OrderBy(i => i.LaunchTime))
        {
            if (instance.State != LocalInstanceState.Terminated && instance.Cluster == provider.Cluster
                && instance.TryGetKey(out var key) && key.Type == Type)
                found.Add(new ActualResource(key, instance.InstanceId, instance));
        }
        return found;
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = ((LocalInstanceResource)desired).Slot;
        var have = (LocalInstance)actual.Native;
        var changes = new List<FieldChange>();
        if (have.PrivateIp != want.PrivateIp?.ToString()) changes.Add(new("address", have.PrivateIp, want.PrivateIp?.ToString()));
        if (have.Zone != want.Zone.Zone) changes.Add(new("zone", have.Zone, want.Zone.Zone));
        if (have.Role != want.Role.TagValue()) changes.Add(new("role", have.Role, want.Role.TagValue()));
        var state = LocalInstanceDirectory.StateOf(have);
        if (state != InstanceState.Running) changes.Add(new("state", state == InstanceState.Pending ? "pending" : "stopped", "running"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken)
    {
        var resource = (LocalInstanceResource)desired;
        var instance = await LaunchAsync(resource.Key, resource.Slot, cancellationToken);
        return new ActualResource(resource.Key, instance.InstanceId, instance);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken)
    {
        await TerminateAsync((LocalInstance)actual.Native, cancellationToken);
        var resource = (LocalInstanceResource)desired;
        await LaunchAsync(resource.Key, resource.Slot, cancellationToken);
    }

    public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) =>
        TerminateAsync((LocalInstance)actual.Native, cancellationToken);

    private async Task<LocalInstance> LaunchAsync(ResourceKey key, InstanceSlot slot, CancellationToken cancellationToken)
    {
        var address = AddressOf(slot);
        var userData = await bootstrap.UserDataAsync(slot, cancellationToken);
        var instance = new LocalInstance
        {
            InstanceId = LocalInstanceIds.New(),
            Slot = slot.Name,
            Role = slot.Role.TagValue(),
            PrivateIp = address.ToString(),
            Zone = slot.Zone.Zone,
            RootFolder = provider.RootFolderOf(slot),
            Tags = provider.TagsOf(key, slot),
            MetadataEndpoint = provider.Endpoints.MetadataUrl,
            LaunchTime = provider.Time.GetUtcNow(),
        };
        // Registered first: a crashed launch leaves a registered instance, which the next up replaces, never a namespace
        // nobody knows of.
        await provider.Registry.AddAsync(instance, cancellationToken);
        try
        {
            // A fresh disk: the slot is now this instance's alone, and whatever an instance the registry lost left in
            // the folder must not mislead it.
            RemoveRootFolder(instance);
            var networkNamespace = await provider.Network.AddAsync(instance.InstanceId, address, cancellationToken);
            await bootstrap.LaunchedAsync(userData, instance.InstanceId, cancellationToken);
            var session = await LocalProcessTrees.LaunchAsync(instance, userData, networkNamespace, cancellationToken);
            return await provider.Registry.UpdateAsync(instance.InstanceId, i => i.State == LocalInstanceState.Pending
                ? i with { Session = session, State = LocalInstanceState.Running }
                : throw new LocalProviderException(
                    $"Instance {i.InstanceId} ({i.Slot}) was terminated by another kubes process while it booted. Run one " +
                    "kubes up at a time, and run it again now."), cancellationToken);
        }
        catch
        {
            // Nothing half-booted stays behind; a failure here is retried by the next kubes up.
            await TerminateAsync(await provider.Registry.FindAsync(instance.InstanceId, CancellationToken.None) ?? instance,
                CancellationToken.None);
            throw;
        }
    }

    /// <summary>Stops the tree, removes its namespace and root folder, marks it terminated: safe to repeat.</summary>
    private async Task TerminateAsync(LocalInstance instance, CancellationToken cancellationToken)
    {
        await LocalProcessTrees.StopAsync(instance.InstanceId, instance.Session, provider.StopGrace, cancellationToken);
        await provider.Network.RemoveAsync(instance.InstanceId, instance.Address, cancellationToken);
        RemoveRootFolder(instance);
        await provider.Registry.UpdateAsync(instance.InstanceId,
            i => i with { State = LocalInstanceState.Terminated, TerminatedAt = provider.Time.GetUtcNow() }, cancellationToken);
    }

    private void RemoveRootFolder(LocalInstance instance)
    {
        var root = Path.GetFullPath(instance.RootFolder);
        if (Path.GetDirectoryName(root) != provider.InstancesFolder)
            throw new LocalProviderException(
                $"Instance {instance.InstanceId} names {root} as its root folder, which is not under {provider.InstancesFolder}: " +
                $"refusing to delete it. Check {provider.Registry.FilePath}.");
        if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, recursive: true);
    }

    private IPAddress AddressOf(InstanceSlot slot)
    {
        var address = slot.PrivateIp ?? throw new LocalProviderException(
            $"Slot {slot.Name} has no fixed address. A local spec gives every slot one: set provider: local in the spec.");
        if (!provider.Network.Vpc.Contains(address))
            throw new LocalProviderException(
                $"Slot {slot.Name} has address {address}, which is not inside the cluster's VPC {provider.Network.Vpc}: " +
                "check spec.network's subnets.");
        return address;
    }
}
