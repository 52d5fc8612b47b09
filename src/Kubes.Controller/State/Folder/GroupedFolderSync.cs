namespace Kubes.Controller.State.Folder;

/// <summary>
/// Group commit for folder flushes. A write is durable once its folder has been flushed after its rename; a flush
/// costs a journal commit (about 2 ms on this project's disks) and covers every rename made before it started. So
/// a writer waits for the first flush of its folder that starts after it asks: while one runs, every writer that
/// arrives shares the single next one, and N concurrent writers to one folder cost two flushes, not N.
/// </summary>
internal sealed class GroupedFolderSync
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Flushes> _folders = new(StringComparer.Ordinal);

    /// <summary>Completes when a flush of <paramref name="folder"/> that started after this call has ended.</summary>
    /// <param name="flush">Flushes the folder; called by whichever waiting writer's flush runs.</param>
    public Task FlushAsync(string folder, Action flush)
    {
        lock (_lock)
        {
            if (!_folders.TryGetValue(folder, out var flushes)) _folders[folder] = flushes = new Flushes();
            if (flushes.Running is null || flushes.Running.IsCompleted)
            {
                flushes.Running = Task.Run(() => Run(folder, flushes, flush));
                return flushes.Running;
            }
            if (flushes.Next is { } next) return next.Task;
            var queued = flushes.Next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            flushes.Running.ContinueWith(_ =>
            {
                lock (_lock)
                {
                    flushes.Running = queued.Task;
                    flushes.Next = null;
                }
                try
                {
                    Run(folder, flushes, flush);
                    queued.SetResult();
                }
                catch (Exception e)
                {
                    queued.SetException(e);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return queued.Task;
        }
    }

    private void Run(string folder, Flushes flushes, Action flush)
    {
        try
        {
            flush();
        }
        finally
        {
            // Forget idle folders, so a store that has written to many folders holds no state for them.
            lock (_lock)
            {
                if (flushes.Next is null && _folders.GetValueOrDefault(folder) == flushes) _folders.Remove(folder);
            }
        }
    }

    private sealed class Flushes
    {
        public Task? Running;
        public TaskCompletionSource? Next;
    }
}
