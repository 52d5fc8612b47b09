using Kubes.Protos.Contract;
using System.Text.Json;
using Google.Protobuf;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Channels.Mailbox;

/// <summary>What only the mailbox does: object names, raw bytes, claims, several answerers, the poll loop.</summary>
public sealed class MailboxAnswererTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly RegistrarWorld _world;
    private readonly MailboxAnswerer _answerer;
    private readonly MailboxAgentChannel _agentSide;

    public MailboxAnswererTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
        _answerer = new MailboxAnswerer(_world.Store, _world.Registrar, time: _world.Clock);
        _agentSide = new MailboxAgentChannel(new FolderStateStore(_folder.Path), _answerer);
    }

    public void Dispose()
    {
        _world.Dispose();
        _folder.Dispose();
    }

    private static byte[] JoinRequestBytes(TestAgent agent, string requestId) =>
        new MailboxRequest { RequestId = requestId, Join = agent.Join() }.ToByteArray();

    [Fact]
    public async Task A_request_left_in_another_instances_folder_is_refused()
    {
        var victim = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var attacker = await _world.LaunchAsync(InstanceRole.Etcd, 1);

        var response = await _agentSide.SendRawAsync(victim.InstanceId, "r1", JoinRequestBytes(attacker, "r1"));
        Assert.Equal("PermissionDenied", response.Error.Code);
        Assert.Contains(victim.InstanceId, response.Error.Message);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_mailbox_request_get_an_InvalidArgument_response()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var response = await _agentSide.SendRawAsync(agent.InstanceId, "r1", [0xff, 0xff, 0xff, 0x0f, 0x42]);
        Assert.Equal(("r1", "InvalidArgument"), (response.RequestId, response.Error.Code));
        Assert.Contains("MailboxRequest", response.Error.Message);
    }

    [Fact]
    public async Task An_oversized_object_is_refused_unread()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var response = await _agentSide.SendRawAsync(agent.InstanceId, "r1", new byte[RegistrarLimits.MaxRequestBytes + 1]);
        Assert.Equal("InvalidArgument", response.Error.Code);
        Assert.Contains("at most 65536", response.Error.Message);
    }

    [Fact]
    public async Task A_multi_gigabyte_request_is_refused_by_its_size_without_being_read()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var key = MailboxKeys.Request(agent.InstanceId, "huge");
        await _world.Store.PutAsync(key, new byte[] { 1 });
        // Sparse: 3 GiB on paper, no blocks on disk. Read whole, it could not even fit in one array.
        var size = 3L << 30;
        await using (var file = new FileStream(Path.Combine(_folder.Path, key), FileMode.Open, FileAccess.Write))
        {
            file.SetLength(size);
        }

        Assert.Equal(1, await _answerer.AnswerPendingAsync());
        var stored = await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "huge"));
        var response = MailboxResponse.Parser.ParseFrom(stored!.Content);
        Assert.Equal("InvalidArgument", response.Error.Code);
        Assert.Contains($"{size} bytes (not read)", response.Error.Message);
        Assert.Empty(await _world.Store.ListAsync(MailboxKeys.RequestsFolder));
    }

    [Fact]
    public async Task A_request_id_that_differs_from_the_object_name_is_refused()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var response = await _agentSide.SendRawAsync(agent.InstanceId, "r1", JoinRequestBytes(agent, "r2"));
        Assert.Equal("InvalidArgument", response.Error.Code);
        Assert.NotNull(await _world.Registrar.JoinAsync(agent.Join(), peer: null));
    }

    [Fact]
    public async Task Objects_that_are_not_requests_are_removed_unanswered()
    {
        await _world.Store.PutAsync("mailbox/requests/stray.pb", new byte[] { 1 });
        await _world.Store.PutAsync("mailbox/requests/i-1/r1.txt", new byte[] { 1 });
        await _world.Store.PutAsync("mailbox/requests/i-1/deep/r1.pb", new byte[] { 1 });

        Assert.Equal(0, await _answerer.AnswerPendingAsync());
        Assert.Empty(await _world.Store.ListAsync("mailbox/"));
    }

    [Fact]
    public async Task An_answered_request_is_removed_without_being_answered_again()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var earlier = new MailboxResponse { RequestId = "r1", Report = new ReportResponse() }.ToByteArray();
        await _world.Store.PutAsync(MailboxKeys.Response(agent.InstanceId, "r1"), earlier);
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r1"), JoinRequestBytes(agent, "r1"));

        Assert.Equal(0, await _answerer.AnswerPendingAsync());
        Assert.Null(await _world.Store.GetAsync(MailboxKeys.Request(agent.InstanceId, "r1")));
        Assert.Equal(earlier, (await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "r1")))!.Content);
        Assert.True((await _world.Tokens.RedeemAsync(agent.JoinToken, agent.InstanceId, InstanceRole.Etcd, 0)).Accepted);
    }

    [Fact]
    public async Task An_answer_left_unread_is_removed_once_its_lifetime_is_over_and_a_fresh_one_is_kept()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "died"), JoinRequestBytes(agent, "died"));
        Assert.Equal(1, await _answerer.AnswerPendingAsync());
        var unread = MailboxKeys.Response(agent.InstanceId, "died");
        var answer = MailboxResponse.Parser.ParseFrom((await _world.Store.GetAsync(unread))!.Content);
        Assert.Equal(_world.Clock.GetUtcNow(), answer.AnsweredAt.ToDateTimeOffset());

        _world.Clock.Advance(MailboxAnswerer.UnreadAnswerLifetime - TimeSpan.FromSeconds(1));
        await _answerer.AnswerPendingAsync();
        Assert.Equal([unread], await _world.Store.ListAsync(MailboxKeys.ResponsesFolder));

        _world.Clock.Advance(TimeSpan.FromSeconds(1));
        await _answerer.AnswerPendingAsync();
        Assert.Equal([unread], await _world.Store.ListAsync(MailboxKeys.ResponsesFolder)); // swept a second ago

        _world.Clock.Advance(MailboxAnswerer.UnreadAnswerSweep);
        await _answerer.AnswerPendingAsync();
        Assert.Empty(await _world.Store.ListAsync(MailboxKeys.ResponsesFolder));
    }

    [Fact]
    public async Task Two_answerers_at_once_answer_every_request_exactly_once()
    {
        var other = new MailboxAnswerer(new FolderStateStore(_folder.Path), _world.Registrar, time: _world.Clock);
        for (var round = 0; round < 5; round++)
        {
            var agents = new List<TestAgent>();
            foreach (var role in new[] { InstanceRole.Etcd, InstanceRole.Controller, InstanceRole.Node })
            {
                for (var slot = 0; slot < 3; slot++) agents.Add(await _world.LaunchAsync(role, slot));
            }
            foreach (var agent in agents)
            {
                await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "join"), JoinRequestBytes(agent, "join"));
            }

            var written = 0;
            for (var pass = 0; pass < 50 && (await _world.Store.ListAsync(MailboxKeys.RequestsFolder)).Count > 0; pass++)
            {
                written += (await Task.WhenAll(_answerer.AnswerPendingAsync(), other.AnswerPendingAsync())).Sum();
            }

            Assert.Equal(agents.Count, written);
            foreach (var agent in agents)
            {
                var stored = await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "join"));
                var response = MailboxResponse.Parser.ParseFrom(stored!.Content);
                Assert.True(response.BodyCase == MailboxResponse.BodyOneofCase.Join, $"{agent.InstanceId}: {response.Error}");
            }
            Assert.Empty(await _world.Store.ListAsync(MailboxKeys.RequestsFolder));
            Assert.Empty(await _world.Store.ListAsync(MailboxKeys.ClaimsFolder));
        }
    }

    [Fact]
    public async Task A_claim_held_by_another_process_is_respected_until_its_lease_runs_out()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var claim = JsonSerializer.SerializeToUtf8Bytes(new { owner = "other-host/42", at = _world.Clock.GetUtcNow() });
        await _world.Store.PutAsync(MailboxKeys.Claim(agent.InstanceId, "r1"), claim);
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r1"), JoinRequestBytes(agent, "r1"));

        Assert.Equal(0, await _answerer.AnswerPendingAsync());
        Assert.NotNull(await _world.Store.GetAsync(MailboxKeys.Request(agent.InstanceId, "r1")));

        _world.Clock.Advance(MailboxAnswerer.ClaimLease);
        Assert.Equal(1, await _answerer.AnswerPendingAsync());
        var response = MailboxResponse.Parser.ParseFrom((await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "r1")))!.Content);
        Assert.Equal(MailboxResponse.BodyOneofCase.Join, response.BodyCase);
    }

    [Fact]
    public async Task A_failure_that_is_not_the_agents_leaves_the_request_for_the_next_pass()
    {
        var failing = new FailingOnceDirectory(_world.Directory);
        var registrar = new AgentRegistrar(_world.Topology, failing, _world.Tokens,
            new AgentCredentialStore(_world.Store, _world.Clock), new TopologyRoleConfigSource(_world.Topology),
            _world.Issuer, new IssuanceRecord(_world.Store), _world.Status, time: _world.Clock);
        var answerer = new MailboxAnswerer(_world.Store, registrar, time: _world.Clock);
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r1"), JoinRequestBytes(agent, "r1"));

        Assert.Equal(0, await answerer.AnswerPendingAsync());
        Assert.NotNull(await _world.Store.GetAsync(MailboxKeys.Request(agent.InstanceId, "r1")));
        Assert.Empty(await _world.Store.ListAsync(MailboxKeys.ClaimsFolder));

        Assert.Equal(1, await answerer.AnswerPendingAsync());
        var response = MailboxResponse.Parser.ParseFrom((await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "r1")))!.Content);
        Assert.Equal(MailboxResponse.BodyOneofCase.Join, response.BodyCase);
    }

    [Fact]
    public async Task The_poll_loop_answers_requests_as_they_arrive_and_stops_when_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var loop = new MailboxAnswerer(_world.Store, _world.Registrar).RunAsync(TimeSpan.FromMilliseconds(20), stop.Token);
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r1"), JoinRequestBytes(agent, "r1"));

        var answer = await MailboxAgentChannel.AwaitResponseAsync(_world.Store, agent.InstanceId, "r1");
        await stop.CancelAsync();
        await loop;

        Assert.Equal(MailboxResponse.BodyOneofCase.Join, answer.BodyCase);
    }

    [Theory]
    [InlineData("mailbox/requests/i-0abc/r-1_x.pb", true)]
    [InlineData("mailbox/requests/i-0abc/r.1.pb", false)]
    [InlineData("mailbox/requests/i-0abc.pb", false)]
    [InlineData("mailbox/responses/i-0abc/r1.pb", false)]
    public void Request_keys(string key, bool isRequest) => Assert.Equal(isRequest, MailboxKeys.TryParseRequest(key, out _, out _));

    /// <summary>The cloud failing once, as a throttled DescribeInstances would. Tests only.</summary>
    private sealed class FailingOnceDirectory(IInstanceDirectory inner) : IInstanceDirectory
    {
        private int _calls;

        public Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new HttpRequestException("RequestLimitExceeded")
                : inner.FindAsync(instanceId, cancellationToken);

        public Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName,
            CancellationToken cancellationToken = default) => inner.FindDataVolumesAsync(cluster, slotName, cancellationToken);
    }

    // A link and a named pipe planted in a folder mailbox (by something that can write there): neither is followed
    // or opened, both are removed, and the real request beside them is answered in the same pass.

    [Fact]
    public async Task A_linked_request_folder_is_not_answered_and_the_next_request_is()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Path, "..", $"elsewhere-{Guid.NewGuid():N}")).FullName;
        try
        {
            var stranger = await _world.LaunchAsync(InstanceRole.Etcd, 1);
            await File.WriteAllBytesAsync(Path.Combine(elsewhere, "r1.pb"), JoinRequestBytes(stranger, "r1"));
            Directory.CreateDirectory(Path.Combine(_folder.Path, "mailbox", "requests"));
            Directory.CreateSymbolicLink(Path.Combine(_folder.Path, "mailbox", "requests", stranger.InstanceId), elsewhere);
            var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
            await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r1"), JoinRequestBytes(agent, "r1"));

            Assert.Equal(1, await _answerer.AnswerPendingAsync());

            Assert.NotNull(await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "r1")));
            Assert.Null(await _world.Store.GetAsync(MailboxKeys.Response(stranger.InstanceId, "r1")));
            Assert.True(File.Exists(Path.Combine(elsewhere, "r1.pb")), "a file outside the mailbox was deleted");
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task A_named_pipe_as_a_request_is_refused_without_blocking_the_next_request()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var folder = Directory.CreateDirectory(Path.Combine(_folder.Path, "mailbox", "requests", agent.InstanceId)).FullName;
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [Path.Combine(folder, "a-pipe.pb")])) await mkfifo.WaitForExitAsync();
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r2"), JoinRequestBytes(agent, "r2"));

        var pass = _answerer.AnswerPendingAsync();
        Assert.Same(pass, await Task.WhenAny(pass, Task.Delay(TimeSpan.FromSeconds(20))));

        Assert.Equal(1, await pass);
        Assert.NotNull(await _world.Store.GetAsync(MailboxKeys.Response(agent.InstanceId, "r2")));
        Assert.False(Path.Exists(Path.Combine(folder, "a-pipe.pb")));
        Assert.Empty(await _world.Store.ListAsync(MailboxKeys.RequestsFolder));
    }
}
