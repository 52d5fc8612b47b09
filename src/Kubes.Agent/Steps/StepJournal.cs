using System.Text.Json;
using System.Text.Json.Serialization;
using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Steps;

/// <summary>
/// The completed steps and the input hash each was completed with, in one JSON file replaced atomically
/// after every step: a kill -9 or a reboot loses at most the step that was running.
/// </summary>
public sealed class StepJournal
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, JournalEntry> _entries;

    public StepJournal(string path, TimeProvider time)
    {
        _path = path;
        _time = time;
        _entries = Read(path);
    }

    public bool IsCompleted(string step, string inputHash) =>
        _entries.TryGetValue(step, out var entry) && entry.InputHash == inputHash;

    public IReadOnlyDictionary<string, JournalEntry> Entries => _entries;

    public void Complete(string step, string inputHash)
    {
        _entries[step] = new JournalEntry(inputHash, _time.GetUtcNow());
        Write();
    }

    /// <summary>Forgets a step before it is applied again, so a crash mid-way never leaves it marked done.</summary>
    public void Forget(string step)
    {
        if (_entries.Remove(step))
        {
            Write();
        }
    }

    private void Write() =>
        AtomicFile.WriteAllBytes(_path,
            JsonSerializer.SerializeToUtf8Bytes(new JournalFile(_entries), StepJournalJsonContext.Default.JournalFile),
            AtomicFile.OwnerOnly);

    private static Dictionary<string, JournalEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, JournalEntry>();
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), StepJournalJsonContext.Default.JournalFile);
            return new Dictionary<string, JournalEntry>(file?.Steps ?? new Dictionary<string, JournalEntry>());
        }
        catch (JsonException)
        {
            // An unreadable journal only costs a redo: every step observes its state before it acts.
            return new Dictionary<string, JournalEntry>();
        }
    }
}

public sealed record JournalEntry(string InputHash, DateTimeOffset CompletedAt);

internal sealed record JournalFile(Dictionary<string, JournalEntry> Steps);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(JournalFile))]
internal sealed partial class StepJournalJsonContext : JsonSerializerContext;
