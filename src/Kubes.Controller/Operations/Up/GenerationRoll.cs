using Kubes.Controller.Components;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// Rolls a generation of the desired state across the cluster: role by role (etcd, controllers, nodes, the bastion),
/// one member at a time. A member whose agent has not joined, or whose configuration the generation does not change, is
/// assigned it at once, and so is a failed member of a role without a quorum (a controller waiting for a program the
/// operator has since imported: the new generation names it). Any other member is changed only while every member of its role is Ready (never taking a quorum
/// away), then waited for until it reports Ready running the new configuration, and, for a role with a quorum, until
/// every member has reported Ready again after that. A wait that runs out stops the roll there: the members after it
/// keep what they run, and the next <c>kubes up</c> resumes from the assignments in the state store.
/// </summary>
public sealed class GenerationRoll
{
    private static readonly InstanceRole[] RoleOrder = [InstanceRole.Etcd, InstanceRole.Controller, InstanceRole.Node, InstanceRole.Bastion];

    private readonly ClusterTopology _topology;
    private readonly SlotAssignments _assignments;
    private readonly int _generation;
    private readonly Func<CancellationToken, Task<IReadOnlyList<AgentStatus>>> _read;
    private readonly Func<AgentStatus, CancellationToken, Task<string?>> _expectedHash;
    private readonly IRollProgress _progress;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;

    /// <param name="expectedHash">The config_hash the agent of a joined member runs once on <paramref name="generation"/>; null
    /// when its instance is gone.</param>
    public GenerationRoll(ClusterTopology topology, SlotAssignments assignments, int generation,
        Func<CancellationToken, Task<IReadOnlyList<AgentStatus>>> read, Func<AgentStatus, CancellationToken, Task<string?>> expectedHash,
        IRollProgress progress, TimeSpan pollInterval, TimeProvider time)
    {
        _topology = topology;
        _assignments = assignments;
        _generation = generation;
        _read = read;
        _expectedHash = expectedHash;
        _progress = progress;
        _pollInterval = pollInterval;
        _time = time;
    }

    /// <param name="timeout">How long each wait may take; zero assigns only what needs no wait and defers the rest.</param>
    public async Task<RollOutcome> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deferred = new List<string>();
        var assigned = new Dictionary<string, int>(await _assignments.AllAsync(cancellationToken), StringComparer.Ordinal);
        foreach (var role in RoleOrder)
        {
            var rolling = await RoleRoll.StartAsync(this, role, assigned, cancellationToken);
            if (rolling is null) continue;
            if (timeout <= TimeSpan.Zero)
            {
                deferred.AddRange(rolling.Changing);
                continue;
            }
            if (await rolling.RollAsync(timeout, cancellationToken) is { } stopped) return stopped;
        }
        return RollOutcome.Done(_generation, deferred);
    }

    private static bool IsSettled(AgentStatus? status) => status?.LastReport?.Phase is Phase.Ready or Phase.RoleNotInstallable;

    private static string Describe(AgentStatus status) =>
        status.LastReport is not { } report ? "no report yet"
        : $"{SlotStatus.PhaseName(report.Phase)}{(report.Step.Length > 0 ? $", {report.Step}" : "")}" +
          $"{(report.Error.Length > 0 ? $": {report.Error}" : "")}";

    /// <summary>The latest status of each member, by name (an instance that replaced another in its slot wins by its report's time).</summary>
    private static Dictionary<string, AgentStatus> Latest(IEnumerable<AgentStatus> agents) =>
        agents.GroupBy(a => a.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.LastReport?.At?.ToDateTimeOffset()).First(), StringComparer.Ordinal);

    /// <summary>
    /// Polls the agents' reports until <paramref name="unmet"/> finds nothing missing (null), or the timeout passes (what is
    /// still missing). Shows every poll, and each new thing it waits for.
    /// </summary>
    private async Task<string?> WaitAsync(string member, TimeSpan timeout,
        Func<IReadOnlyDictionary<string, AgentStatus>, CancellationToken, Task<string?>> unmet, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + timeout;
        string? shown = null;
        while (true)
        {
            var agents = await _read(cancellationToken);
            await _progress.ShowAsync(SlotStatus.For(_topology, agents), _time.GetUtcNow());
            var missing = await unmet(Latest(agents), cancellationToken);
            if (missing is null) return null;
            if (_time.GetUtcNow() >= deadline) return missing;
            if (missing != shown) _progress.RollWaiting(member, shown = missing);
            await Task.Delay(_pollInterval, _time, cancellationToken);
        }
    }

    /// <summary>The roll of one role: its members, what each is assigned and runs, and those that change.</summary>
    private sealed class RoleRoll
    {
        private readonly GenerationRoll _roll;
        private readonly InstanceRole _role;
        private readonly IReadOnlyList<string> _members;
        private readonly Dictionary<string, int> _assigned;
        private readonly Dictionary<string, string?> _expected;

        private RoleRoll(GenerationRoll roll, InstanceRole role, IReadOnlyList<string> members, Dictionary<string, int> assigned,
            Dictionary<string, string?> expected, IReadOnlyList<string> changing)
        {
            _roll = roll;
            _role = role;
            _members = members;
            _assigned = assigned;
            _expected = expected;
            Changing = changing;
        }

        /// <summary>The members that change, in order, each only once the others are Ready.</summary>
        public IReadOnlyList<string> Changing { get; }

        private int Generation => _roll._generation;

        /// <summary>
        /// Assigns the generation at once where no wait is needed; null when then nothing is left to change in the role.
        /// </summary>
        /// <param name="assigned">Every slot's generation, as the state store holds it; kept up to date with what is assigned.</param>
        public static async Task<RoleRoll?> StartAsync(GenerationRoll roll, InstanceRole role, Dictionary<string, int> assigned,
            CancellationToken cancellationToken)
        {
            var statuses = Latest(await roll._read(cancellationToken));
            var members = roll._topology.SlotsOf(role).Select(slot => slot.Name).ToList();
            // The nodes of an Auto Scaling group are the ones that joined, by their instance id.
            if (role == InstanceRole.Node && roll._topology.NodeGroup is not null)
            {
                members.AddRange(statuses.Values.Where(s => s.Role == Role.Node && !members.Contains(s.Name))
                    .Select(s => s.Name).Order(StringComparer.Ordinal));
            }
            // A slot without a generation is on the newest, and its agent's first join assigns it.
            var behind = members.Where(member => assigned.TryGetValue(member, out var generation) ? generation != roll._generation
                : statuses.ContainsKey(member)).ToList();
            if (behind.Count == 0) return null;

            var expected = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var member in members)
                expected[member] = statuses.TryGetValue(member, out var status) ? await roll._expectedHash(status, cancellationToken) : null;
            var changing = new List<string>();
            var quorum = ClusterComponents.On(role).Any(component => component.HasQuorum);
            foreach (var member in behind)
            {
                var why = expected[member] is null ? "its agent has not joined"
                    : statuses[member].LastReport?.ConfigHash == expected[member] ? "its configuration does not change"
                    : !quorum && statuses[member].LastReport?.Phase == Phase.Failed
                        ? "it reports Failed, so changing it takes nothing away that serves; the new configuration may be its fix"
                        : null;
                if (why is null)
                {
                    changing.Add(member);
                    continue;
                }
                await roll._assignments.AssignAsync(member, roll._generation, cancellationToken);
                assigned[member] = roll._generation;
                roll._progress.RollAssigned(member, roll._generation, why);
            }
            return changing.Count == 0 ? null : new RoleRoll(roll, role, members, assigned, expected, changing);
        }

        /// <summary>Changes each member in turn; the outcome of a stop, or null when every one came back.</summary>
        public async Task<RollOutcome?> RollAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var quorum = ClusterComponents.On(_role).Any(component => component.HasQuorum);
            _roll._progress.RollStarting(Generation, _role.TagValue(), Changing);
            foreach (var member in Changing)
            {
                var started = _roll._time.GetUtcNow();
                if (await _roll.WaitAsync(member, timeout, async (latest, ct) =>
                    {
                        await RefreshExpectedAsync(latest, ct);
                        return EveryMemberReady(latest);
                    }, cancellationToken) is { } notReady)
                {
                    return RollOutcome.StoppedAtMember(Generation, member,
                        $"{member} was not changed: after {Minutes(timeout)} not every {_role.TagValue()} member was Ready " +
                        $"(waiting for {notReady}); changing it then could have taken a member too many away");
                }

                await _roll._assignments.AssignAsync(member, Generation, cancellationToken);
                _assigned[member] = Generation;
                if (await _roll.WaitAsync(member, timeout, async (latest, ct) =>
                    {
                        await RefreshExpectedAsync(latest, ct);
                        return Running(member, latest);
                    }, cancellationToken) is { } notBack)
                {
                    return RollOutcome.StoppedAtMember(Generation, member,
                        $"{member} did not come back: it was given generation {Generation} and did not report Ready on it " +
                        $"within {Minutes(timeout)} (waiting for {notBack})");
                }

                if (quorum)
                {
                    var before = Latest(await _roll._read(cancellationToken));
                    if (await _roll.WaitAsync(member, timeout, (latest, _) => Task.FromResult(ReportedReadySince(member, before, latest)),
                            cancellationToken) is { } notFresh)
                    {
                        return RollOutcome.StoppedAtMember(Generation, member,
                            $"after {member} came back on generation {Generation}, not every {_role.TagValue()} member reported " +
                            $"Ready again within {Minutes(timeout)} (waiting for {notFresh})");
                    }
                }
                _roll._progress.RollMemberDone(member, Generation, _roll._time.GetUtcNow() - started);
            }
            return null;
        }

        /// <summary>
        /// What each member runs on the generation, built again from the cluster's material as it is now: a configuration
        /// follows the material (a controller's service-account key arriving changes every controller's), so a hash taken
        /// when the roll started would keep a member that took the newer material "on an earlier one" for ever.
        /// </summary>
        private async Task RefreshExpectedAsync(IReadOnlyDictionary<string, AgentStatus> latest, CancellationToken cancellationToken)
        {
            foreach (var member in _members)
                if (latest.TryGetValue(member, out var status)) _expected[member] = await _roll._expectedHash(status, cancellationToken);
        }

        /// <summary>Every member Ready (or settled without an installer), those already on the generation running it.</summary>
        private string? EveryMemberReady(IReadOnlyDictionary<string, AgentStatus> latest)
        {
            foreach (var member in _members)
            {
                if (!latest.TryGetValue(member, out var status)) return $"{member} to join (it has not reported)";
                if (!IsSettled(status)) return $"{member} to be Ready (it reports {Describe(status)})";
                if (_assigned.GetValueOrDefault(member) == Generation && _expected[member] is { } hash && status.LastReport.ConfigHash != hash)
                    return $"{member} to run generation {Generation} (it reports {Describe(status)} on an earlier one)";
            }
            return null;
        }

        private string? Running(string member, IReadOnlyDictionary<string, AgentStatus> latest)
        {
            if (!latest.TryGetValue(member, out var status)) return "its agent to report";
            return IsSettled(status) && status.LastReport.ConfigHash == _expected[member]
                ? null
                : status.LastReport?.ConfigHash == _expected[member]
                    ? $"it to be Ready on generation {Generation} (it reports {Describe(status)})"
                    : $"its agent to take generation {Generation} (it reports {Describe(status)} on an earlier one)";
        }

        /// <summary>A report from every other member newer than <paramref name="before"/>, and every member Ready in it.</summary>
        private string? ReportedReadySince(string member, IReadOnlyDictionary<string, AgentStatus> before,
            IReadOnlyDictionary<string, AgentStatus> latest)
        {
            var waiting = new List<string>();
            foreach (var other in _members)
            {
                if (!latest.TryGetValue(other, out var status) || !IsSettled(status))
                {
                    waiting.Add(status is null ? other : $"{other} ({Describe(status)})");
                    continue;
                }
                if (other != member && before.TryGetValue(other, out var earlier) && !IsNewer(status, earlier)) waiting.Add(other);
            }
            return waiting.Count == 0 ? null : $"a fresh Ready report from {string.Join(", ", waiting)}, so the whole {_role.TagValue()} cluster is healthy";
        }

        private static bool IsNewer(AgentStatus status, AgentStatus earlier) =>
            status.InstanceId != earlier.InstanceId
            || (status.LastReport?.At?.ToDateTimeOffset() ?? DateTimeOffset.MinValue) > (earlier.LastReport?.At?.ToDateTimeOffset() ?? DateTimeOffset.MinValue);

        private static string Minutes(TimeSpan timeout) =>
            timeout.TotalMinutes >= 1 ? $"{timeout.TotalMinutes:0.#} min" : $"{timeout.TotalSeconds:0} s";
    }
}
