using System.Diagnostics;
using System.Runtime.Versioning;

namespace Kubes.Controller.Local;

/// <summary>
/// Starts and stops the process tree of a local instance.
/// <para>
/// Launch: the user-data goes to <c>&lt;root&gt;/var/lib/cloud/user-data</c> (0600), and a small init runs it with
/// <c>bash</c> inside the instance's network namespace (<c>ip netns exec</c>) in a new session (<c>setsid --fork</c>,
/// so the tree is detached from kubes and outlives it), with a clean environment: PATH, KUBES_ROOT, AWS_EC2_METADATA_SERVICE_ENDPOINT, HOME and TMPDIR under the root, and the
/// marker <c>KUBES_INSTANCE_ID</c>. Everything goes to the console log. After the user-data the init stays, like
/// an instance's OS: the instance runs while its session leader does.
/// </para>
/// <para>
/// Tracking: the user-data may start daemons in sessions of their own (bootstrap.sh runs the agent's restart loop
/// under <c>nohup setsid</c>), so the session alone does not hold the tree. Every process that inherited the
/// marker belongs to the instance, whichever session it is in; so do the processes of the leader's session and
/// the descendants of any member, which catches a child that cleared its environment. Only a process that both
/// clears its environment and leaves its parent and session escapes: none of ours does.
/// </para>
/// </summary>
[SupportedOSPlatform("linux")]
public static class LocalProcessTrees
{
    /// <summary>The environment variable every process of an instance inherits.</summary>
    public const string InstanceMarker = "KUBES_INSTANCE_ID";

    private const string Init = """
        exec </dev/null >>"$1" 2>&1
        echo "kubes-local: instance $KUBES_INSTANCE_ID boots: bash $2"
        bash "$2"
        echo "kubes-local: user-data exited with status $?"
        exec sleep infinity
        """;

    private static readonly TimeSpan LeaderLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Writes the user-data and boots it in <paramref name="networkNamespace"/>; returns the new session.</summary>
    public static async Task<LocalSession> LaunchAsync(LocalInstance instance, string userData, string networkNamespace,
        CancellationToken cancellationToken)
    {
        CreateOwnerOnly(instance.RootFolder);
        foreach (var folder in (string[])["var/lib/cloud", "var/log", "tmp", "root"])
            CreateOwnerOnly(Path.Join(instance.RootFolder, folder));
        await WriteOwnerOnlyAsync(instance.UserDataPath, userData, cancellationToken);
        // There from the start, so a reader never races the init's first line.
        await WriteOwnerOnlyAsync(instance.ConsoleLogPath, "", cancellationToken);

        string[] command =
        [
            "ip", "netns", "exec", networkNamespace,
            "setsid", "--fork", "bash", "-c", Init, "kubes-init", instance.ConsoleLogPath, instance.UserDataPath,
        ];
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Path.Join(instance.RootFolder, "root"),
            ["TMPDIR"] = Path.Join(instance.RootFolder, "tmp"),
            ["KUBES_ROOT"] = instance.RootFolder,
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = instance.MetadataEndpoint.ToString(),
        };
        return await StartTreeAsync(instance.InstanceId, command, instance.RootFolder, environment,
            $"instance {instance.InstanceId}", $"its console log {instance.ConsoleLogPath}", cancellationToken);
    }

    /// <summary>
    /// Starts <paramref name="command"/> on this machine's own network as a tree of its own, tracked like an instance's:
    /// a new session (it outlives kubes) whose processes carry the marker <paramref name="treeId"/>, found and stopped by
    /// it (<see cref="MembersOf(string, LocalSession?)"/>, <see cref="StopAsync"/>) even after the kubes that started it
    /// crashed. Standard input is empty; the output is appended to <paramref name="logPath"/>.
    /// </summary>
    public static Task<LocalSession> StartDaemonAsync(string treeId, IReadOnlyList<string> command, string logPath,
        CancellationToken cancellationToken)
    {
        string[] detached =
        [
            "setsid", "--fork", "bash", "-c", "exec </dev/null >>\"$1\" 2>&1; shift; exec \"$@\"", "kubes-daemon", logPath,
            .. command,
        ];
        return StartTreeAsync(treeId, detached, Path.GetDirectoryName(Path.GetFullPath(logPath))!,
            new Dictionary<string, string>(), $"{command[0]} ({treeId})", $"its log {logPath}", cancellationToken);
    }

    private static async Task<LocalSession> StartTreeAsync(string treeId, string[] command, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string what, string whereToLook, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in command[1..]) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } dotnetRoot) start.Environment["DOTNET_ROOT"] = dotnetRoot;
        start.Environment["LANG"] = "C.UTF-8";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment[InstanceMarker] = treeId;

        using (var launcher = Process.Start(start) ?? throw new LocalProviderException($"{command[0]} could not be started."))
        {
            await launcher.WaitForExitAsync(cancellationToken);
            if (launcher.ExitCode != 0)
                throw new LocalProviderException(
                    $"'{string.Join(' ', command.TakeWhile(word => word != "-c"))} …' exited with {launcher.ExitCode} starting " +
                    $"{what}: iproute2's ip and util-linux's setsid are needed, and root.");
        }

        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (FindSession(treeId) is { } leader) return leader;
            if (waited.Elapsed > LeaderLimit)
                throw new LocalProviderException(
                    $"{what} did not start within {LeaderLimit.TotalSeconds:0} s: its session leader is not running. " +
                    $"Look at {whereToLook}.");
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>Whether the session's leader (the instance's init) is still the same running process.</summary>
    public static bool IsAlive(LocalSession session) =>
        ProcessTable.Read(session.LeaderPid) is { HasExited: false } leader
        && leader.StartTicks == session.StartTicks
        && leader.SessionId == session.LeaderPid;

    /// <summary>The pids of every running process of the instance (see the class remarks for who belongs).</summary>
    public static IReadOnlyList<int> MembersOf(string instanceId, LocalSession? session) =>
        MembersOf(instanceId, LiveSessionId(session));

    /// <summary>
    /// SIGTERM, once, to every member (and to any that appears meanwhile) until none is left or
    /// <paramref name="grace"/> has passed, then SIGKILL to the rest.
    /// </summary>
    public static async Task StopAsync(string instanceId, LocalSession? session, TimeSpan grace, CancellationToken cancellationToken)
    {
        // Decided once: the leader is among the first to die, and its session still names the rest of the tree.
        var sessionId = LiveSessionId(session);
        var terminated = new HashSet<int>();
        var waited = Stopwatch.StartNew();
        var killing = false;
        while (MembersOf(instanceId, sessionId) is { Count: > 0 } members)
        {
            if (!killing && waited.Elapsed > grace)
            {
                killing = true;
                waited.Restart();
            }
            if (killing && waited.Elapsed > KillLimit)
                throw new LocalProviderException(
                    $"Processes {string.Join(", ", members)} of instance {instanceId} survived SIGKILL for {KillLimit.TotalSeconds:0} s " +
                    "(stuck in the kernel, or owned by another user?). Stop them by hand, then run the command again.");
            foreach (var pid in members)
            {
                if (killing) ProcessTable.Signal(pid, ProcessTable.SigKill);
                else if (terminated.Add(pid)) ProcessTable.Signal(pid, ProcessTable.SigTerm);
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>A dead leader's pid may be reused for someone else's session: only a live leader's session counts.</summary>
    private static int? LiveSessionId(LocalSession? session) => session is { } s && IsAlive(s) ? s.LeaderPid : null;

    private static List<int> MembersOf(string instanceId, int? sessionId)
    {
        var table = ProcessTable.Running();
        var members = table
            .Where(p => p.SessionId == sessionId || ProcessTable.HasVariable(p.Pid, InstanceMarker, instanceId))
            .Select(p => p.Pid)
            .ToHashSet();
        bool grew;
        do
        {
            grew = false;
            foreach (var process in table)
            {
                if (members.Contains(process.ParentPid) && members.Add(process.Pid)) grew = true;
            }
        } while (grew);
        members.Remove(Environment.ProcessId);
        members.Remove(1);
        return [.. members.Order()];
    }

    /// <summary>The session of the running tree marked <paramref name="treeId"/>, if its leader runs.</summary>
    public static LocalSession? FindSession(string treeId)
    {
        foreach (var process in ProcessTable.Running())
        {
            if (process.SessionId == process.Pid && ProcessTable.HasVariable(process.Pid, InstanceMarker, treeId))
                return new LocalSession(process.Pid, process.StartTicks);
        }
        return null;
    }

    private static async Task WriteOwnerOnlyAsync(string path, string content, CancellationToken cancellationToken)
    {
        File.Delete(path);
        var owned = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        await using var file = new StreamWriter(new FileStream(path, owned));
        await file.WriteAsync(content.AsMemory(), cancellationToken);
    }

    private static void CreateOwnerOnly(string folder)
    {
        if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
