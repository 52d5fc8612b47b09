using System.Net;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Registrar;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Protos.V1;
using TempFolder = Kubes.Controller.Tests.Pki.Support.TempFolder;

namespace Kubes.Controller.Tests.Operations.Access;

/// <summary>
/// A cluster as the access commands find it after <c>kubes up</c>: a session over a state folder holding its PKI, and, once
/// <see cref="JoinBastionAsync"/> ran, its bastion joined and running at a public address.
/// </summary>
internal sealed class AccessWorld : IDisposable
{
    public static readonly IPAddress BastionPublicAddress = IPAddress.Parse("203.0.113.7");

    public AccessWorld()
    {
        Session = new ScriptedClusterSession(Folder.Combine("state"));
    }

    public TempFolder Folder { get; } = new();
    public ScriptedClusterSession Session { get; }
    public InMemoryInstanceDirectory Directory => (InMemoryInstanceDirectory)Session.Directory;
    public string BastionInstanceId { get; } = "i-0b0000000000000b1";

    /// <summary>The PKI <c>kubes up</c> made; loading it again gives the same CAs.</summary>
    public Task<ClusterPki> PkiAsync() => new ClusterPkiRepository(Session.Store).LoadOrCreateAsync(Session.Topology.Spec, CancellationToken.None);

    public async Task JoinBastionAsync(InstanceState state = InstanceState.Running, bool publicAddress = true)
    {
        var slot = Session.Topology.FindSlot(Kubes.Controller.Topology.InstanceRole.Bastion, 0)!;
        Directory.Put(new InstanceRecord(BastionInstanceId, state, slot.PrivateIp, new Dictionary<string, string>(), slot.Zone.Zone,
            publicAddress ? BastionPublicAddress : null));
        await new AgentStatusStore(Session.Store).PutAsync(new AgentStatus
        {
            InstanceId = BastionInstanceId, Role = Role.Bastion, Slot = 0, Name = slot.Name, PrivateIp = slot.PrivateIp!.ToString(),
            LastReport = new AgentReport { Phase = Phase.Ready, At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
        });
    }

    public void Dispose()
    {
        Session.Dispose();
        Folder.Dispose();
    }
}
