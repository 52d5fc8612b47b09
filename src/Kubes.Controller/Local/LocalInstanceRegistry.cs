using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider's instance table, <c>&lt;state&gt;/local/instances.json</c> (0600, in a 0700 folder): what
/// DescribeInstances is to EC2. Readers need no lock, since every write replaces the file by a rename; writers
/// read, change and write under an exclusive lock on <c>instances.lock</c>, so two kubes processes (an
/// <c>up</c> and a <c>serve</c>, say) never lose each other's changes. Terminated instances stay listed for an
/// hour, as on EC2.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalInstanceRegistry
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TerminatedRetention = TimeSpan.FromHours(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writers = new(1, 1);
    private readonly string _folder;

    public LocalInstanceRegistry(string stateFolder, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _folder = Path.Join(Path.GetFullPath(stateFolder), "local");
        FilePath = Path.Join(_folder, "instances.json");
    }

    public string FilePath { get; }

    public async Task<IReadOnlyList<LocalInstance>> ListAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(cancellationToken);

    public async Task<LocalInstance?> FindAsync(string instanceId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(cancellationToken)).FirstOrDefault(i => i.InstanceId == instanceId);

    /// <summary>Records a new instance; refused while another instance of the cluster holds the slot.</summary>
    public Task AddAsync(LocalInstance instance, CancellationToken cancellationToken = default) =>
        ChangeAsync(instances =>
        {
            if (instances.Any(i => i.InstanceId == instance.InstanceId))
                throw new InvalidOperationException($"instance {instance.InstanceId} is already registered");
            if (instances.FirstOrDefault(i => i.State != LocalInstanceState.Terminated && i.Cluster == instance.Cluster
                    && i.Slot == instance.Slot) is { } holder)
                throw new LocalProviderException(
                    $"Slot {instance.Slot} of cluster {instance.Cluster} already has instance {holder.InstanceId} ({holder.State}, " +
                    $"in {FilePath}). Another kubes process may be launching it: wait for that one to finish, then run kubes up again.");
            instances.Add(instance);
            return instance;
        }, cancellationToken);

    /// <summary>Replaces one instance's record by <paramref name="change"/>(record) and returns the new record.</summary>
    public Task<LocalInstance> UpdateAsync(string instanceId, Func<LocalInstance, LocalInstance> change,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(instances =>
        {
            var index = instances.FindIndex(i => i.InstanceId == instanceId);
            if (index < 0)
                throw new LocalProviderException($"Instance {instanceId} is not in the local instance registry {FilePath}.");
            var changed = change(instances[index]);
            if (changed.InstanceId != instanceId) throw new InvalidOperationException("an update cannot change the instance id");
            instances[index] = changed;
            return changed;
        }, cancellationToken);

    private async Task<T> ChangeAsync<T>(Func<List<LocalInstance>, T> change, CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken);
        try
        {
            CreateFolder();
            using var exclusive = await LockAsync(cancellationToken);
            var instances = await ReadAsync(cancellationToken);
            var result = change(instances);
            var forgetBefore = _time.GetUtcNow() - TerminatedRetention;
            instances.RemoveAll(i => i.State == LocalInstanceState.Terminated && i.TerminatedAt < forgetBefore);
            await WriteAsync(instances, cancellationToken);
            return result;
        }
        finally
        {
            _writers.Release();
        }
    }

    private async Task<List<LocalInstance>> ReadAsync(CancellationToken cancellationToken)
    {
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(FilePath, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        try
        {
            return JsonSerializer.Deserialize<RegistryDocument>(content, Json)?.Instances ?? [];
        }
        catch (JsonException e)
        {
            throw new LocalProviderException(
                $"The local instance registry {FilePath} cannot be read ({e.Message}). Restore it from a backup; a file " +
                "that is lost leaves the instances' processes running, to be stopped by hand (see their KUBES_INSTANCE_ID).", e);
        }
    }

    private async Task WriteAsync(List<LocalInstance> instances, CancellationToken cancellationToken)
    {
        var temporary = Path.Join(_folder, $".instances.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile };
            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, new RegistryDocument(instances), Json, cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, FilePath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private void CreateFolder()
    {
        if (Directory.Exists(_folder)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(_folder)!);
        Directory.CreateDirectory(_folder, OwnerOnlyFolder);
    }

    /// <summary>flock(LOCK_EX) through FileShare.None, which .NET takes without waiting: we retry until the timeout.</summary>
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Join(_folder, "instances.lock");
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnerOnlyFile,
        };
        var deadline = _time.GetTimestamp() + (long)(LockTimeout.TotalSeconds * _time.TimestampFrequency);
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (_time.GetTimestamp() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
            catch (IOException e)
            {
                throw new LocalProviderException(
                    $"The local instance registry stayed locked for {LockTimeout.TotalSeconds:0} s ({path}). Another kubes " +
                    "process may be stuck in the middle of a change: stop it and retry.", e);
            }
        }
    }

    private sealed record RegistryDocument(List<LocalInstance> Instances);
}
