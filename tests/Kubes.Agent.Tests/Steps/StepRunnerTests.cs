using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Steps;

public sealed class StepRunnerTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private string JournalPath => _root.Join("journal.json");

    /// <summary>A step whose actual state is a file with its input as content.</summary>
    private sealed class FileStep(string name, string path, string input, Func<Task>? beforeWrite = null) : IInstallStep
    {
        public int Applied;

        public string Name => name;

        public string InputHash => Kubes.Agent.FileSystem.FileHash.OfInputs(input);

        public Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
            Task.FromResult(File.Exists(path) && File.ReadAllText(path) == input);

        public async Task ApplyAsync(CancellationToken cancellationToken)
        {
            Applied++;
            if (beforeWrite is not null)
            {
                await beforeWrite();
            }

            await File.WriteAllTextAsync(path, input, cancellationToken);
        }
    }

    private StepRunner Runner() => new(new StepJournal(JournalPath, TimeProvider.System), NullLogger<StepRunner>.Instance);

    private static Task Nothing(IInstallStep _) => Task.CompletedTask;

    [Fact]
    public async Task A_second_run_resumes_and_applies_nothing()
    {
        var first = new[] { new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2") };
        await Runner().RunAsync(first, Nothing, CancellationToken.None);
        var second = new[] { new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2") };

        await Runner().RunAsync(second, Nothing, CancellationToken.None);

        Assert.Equal([1, 1], first.Select(s => s.Applied));
        Assert.Equal([0, 0], second.Select(s => s.Applied));
    }

    [Fact]
    public async Task A_crash_mid_install_resumes_at_the_step_that_was_running()
    {
        var crashing = new[]
        {
            new FileStep("a", _root.Join("a"), "1"),
            new FileStep("b", _root.Join("b"), "2", () => throw new IOException("power cut")),
            new FileStep("c", _root.Join("c"), "3"),
        };
        var failure = await Assert.ThrowsAsync<StepFailedException>(() => Runner().RunAsync(crashing, Nothing, CancellationToken.None));
        Assert.Equal("b", failure.Step);

        var resumed = new[] { new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2"), new FileStep("c", _root.Join("c"), "3") };
        await Runner().RunAsync(resumed, Nothing, CancellationToken.None);

        Assert.Equal([0, 1, 1], resumed.Select(s => s.Applied));
        Assert.Equal(0, crashing[2].Applied);
    }

    [Fact]
    public async Task A_changed_input_redoes_that_step_only()
    {
        await Runner().RunAsync([new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2")], Nothing, CancellationToken.None);
        var changed = new[] { new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2-new") };

        await Runner().RunAsync(changed, Nothing, CancellationToken.None);

        Assert.Equal([0, 1], changed.Select(s => s.Applied));
        Assert.Equal("2-new", File.ReadAllText(_root.Join("b")));
    }

    [Fact]
    public async Task A_journaled_step_whose_result_is_gone_is_applied_again()
    {
        await Runner().RunAsync([new FileStep("a", _root.Join("a"), "1")], Nothing, CancellationToken.None);
        File.Delete(_root.Join("a"));
        var again = new FileStep("a", _root.Join("a"), "1");

        await Runner().RunAsync([again], Nothing, CancellationToken.None);

        Assert.Equal(1, again.Applied);
    }

    private sealed class ResultlessStep : IInstallStep
    {
        public string Name => "resultless";
        public string InputHash => "x";
        public Task<bool> IsDoneAsync(CancellationToken cancellationToken) => Task.FromResult(false);
        public Task ApplyAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task A_step_that_does_not_produce_its_result_fails_and_is_not_journaled()
    {
        var failure = await Assert.ThrowsAsync<StepFailedException>(
            () => Runner().RunAsync([new ResultlessStep()], Nothing, CancellationToken.None));

        Assert.Contains("step resultless failed: it was applied but its result is not there", failure.Message);
        Assert.False(new StepJournal(JournalPath, TimeProvider.System).Entries.ContainsKey("resultless"));
    }

    [Fact]
    public async Task The_journal_on_disk_is_owner_only_json_with_every_completed_step()
    {
        var reported = new List<string>();
        await Runner().RunAsync([new FileStep("a", _root.Join("a"), "1"), new FileStep("b", _root.Join("b"), "2")],
            s => { reported.Add(s.Name); return Task.CompletedTask; }, CancellationToken.None);

        var journal = new StepJournal(JournalPath, TimeProvider.System);

        Assert.Equal(["a", "b"], reported);
        Assert.Equal(["a", "b"], journal.Entries.Keys.Order());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(JournalPath));
        Assert.Empty(Directory.GetFiles(_root.Path, "*.tmp"));
    }
}
