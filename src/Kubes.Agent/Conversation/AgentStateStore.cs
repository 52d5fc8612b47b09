using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;
using Google.Protobuf;

namespace Kubes.Agent.Conversation;

/// <summary>
/// What Join gave this instance (its credential and RoleConfig), kept 0600 under the state folder so a
/// restart resumes without the join token, which Join burned.
/// </summary>
public sealed class AgentStateStore(AgentPaths paths)
{
    private string JoinedFile => Path.Join(paths.StateDir, "joined.pb");
    private string InstanceIdFile => Path.Join(paths.StateDir, "instance-id");

    /// <summary>The saved join of this very instance, or null (never joined, or the disk came from another instance).</summary>
    public JoinResponse? Load(string instanceId)
    {
        if (!File.Exists(JoinedFile) || !File.Exists(InstanceIdFile) || File.ReadAllText(InstanceIdFile).Trim() != instanceId)
        {
            return null;
        }

        try
        {
            return JoinResponse.Parser.ParseFrom(File.ReadAllBytes(JoinedFile));
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    public void Save(string instanceId, JoinResponse joined)
    {
        AtomicFile.WriteAllText(InstanceIdFile, instanceId + "\n", AtomicFile.OwnerOnly);
        AtomicFile.WriteAllBytes(JoinedFile, joined.ToByteArray(), AtomicFile.OwnerOnly);
    }
}
