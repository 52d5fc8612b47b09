using Google.Protobuf.WellKnownTypes;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary>
/// Agents as a roll sees them, on virtual time. Each reports on its own cadence; the answer to a report tells it the
/// configuration of the generation its slot is assigned, and one told another configuration changes at once (Installing),
/// then reports Ready on it once its restart is over — unless it never comes back. Every report and every change is
/// recorded, so a test can check what the roll did against what the agents went through.
/// </summary>
internal sealed class SimulatedAgents(FakeTimeProvider time, SlotAssignments assignments)
{
    private readonly List<Member> _members = [];

    public IReadOnlyList<Member> Members => _members;

    public Member this[string name] => _members.Single(m => m.Name == name);

    public Member Add(InstanceRole role, int slot, TimeSpan offset)
    {
        var member = new Member($"{role.TagValue()}-{slot}", role.ToProto(), slot, time.GetUtcNow() + offset);
        _members.Add(member);
        return member;
    }

    public async Task<IReadOnlyList<AgentStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        var statuses = new List<AgentStatus>();
        foreach (var member in _members.Where(m => m.Joined))
        {
            member.Advance(time.GetUtcNow(), await assignments.GetAsync(member.Name, cancellationToken) ?? 1);
            statuses.Add(member.Status());
        }
        return statuses;
    }

    /// <summary>The hash a member runs on <paramref name="generation"/>.</summary>
    public Task<string?> ExpectedHashAsync(AgentStatus status, int generation) =>
        Task.FromResult<string?>(this[status.Name].HashOn(generation));

    internal sealed class Member(string name, Role role, int slot, DateTimeOffset firstReport)
    {
        public string Name => name;
        public string InstanceId { get; } = $"i-{Math.Abs(name.GetHashCode()):x8}000000000"[..19];
        public bool Joined { get; set; } = true;
        public TimeSpan ReportEvery { get; set; } = TimeSpan.FromSeconds(30);
        public TimeSpan Restart { get; set; } = TimeSpan.FromSeconds(10);
        /// <summary>Whether generation 2 gives it another configuration than generation 1.</summary>
        public bool ChangesOnGeneration2 { get; set; } = true;
        public bool NeverComesBack { get; set; }
        /// <summary>Failed in its reports while it runs generation 1's configuration (it lacks what generation 2 gives).</summary>
        public bool FailsOnGeneration1 { get; set; }
        /// <summary>Degraded in its reports before this moment.</summary>
        public DateTimeOffset DegradedUntil { get; set; }
        public string Running { get; private set; } = "g1";
        public List<(DateTimeOffset At, Phase Phase, string Hash)> Reports { get; } = [];
        /// <summary>When it went down for a change, and when it was Ready on it again.</summary>
        public List<(DateTimeOffset Down, DateTimeOffset? Back)> Changes { get; } = [];

        private DateTimeOffset _nextReport = firstReport;
        private DateTimeOffset? _changingSince;

        /// <summary>What its configuration is built from besides the spec (the cluster's material), as it is now.</summary>
        public string Material { get; set; } = "";

        public string HashOn(int generation) => (generation >= 2 && ChangesOnGeneration2 ? "g2" : "g1") + Material;

        public void Advance(DateTimeOffset now, int assigned)
        {
            while (true)
            {
                var back = _changingSince is { } since && !NeverComesBack ? since + Restart : DateTimeOffset.MaxValue;
                var next = back < _nextReport ? back : _nextReport;
                if (next > now) return;
                if (next == back)
                {
                    Running = HashOn(assigned);
                    _changingSince = null;
                    Changes[^1] = (Changes[^1].Down, next);
                    Report(next, Phase.Ready);
                    continue;
                }
                _nextReport += ReportEvery;
                if (_changingSince is not null)
                {
                    Report(next, Phase.Starting);
                }
                else if (HashOn(assigned) != Running)
                {
                    // Told at this report: it asks for its configuration and installs it.
                    _changingSince = next;
                    Changes.Add((next, null));
                    Report(next, Phase.Installing);
                }
                else
                {
                    Report(next, FailsOnGeneration1 && Running == "g1" ? Phase.Failed : next < DegradedUntil ? Phase.Degraded : Phase.Ready);
                }
            }
        }

        public AgentStatus Status() => new()
        {
            InstanceId = InstanceId,
            Role = role,
            Slot = slot,
            Name = name,
            LastReport = Reports.Count == 0
                ? new AgentReport { Phase = Phase.Joining }
                : new AgentReport { Phase = Reports[^1].Phase, At = Timestamp.FromDateTimeOffset(Reports[^1].At), ConfigHash = Reports[^1].Hash },
        };

        private void Report(DateTimeOffset at, Phase phase) => Reports.Add((at, phase, Running));
    }
}
