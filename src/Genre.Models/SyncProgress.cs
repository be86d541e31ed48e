namespace Genre.Models;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, in order (<see cref="Progress{T}"/> would post to the
/// thread pool and could reorder lines).
/// </summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <summary>Calls the action now, on this thread.</summary>
    public void Report(T value) => report(value);
}

/// <summary>Shorthand for <see cref="SyncProgress{T}"/> of training events.</summary>
public static class SyncProgress
{
    /// <summary>Training events reported to <paramref name="f"/> on the calling thread.</summary>
    public static SyncProgress<TrainingEvent> Of(Action<TrainingEvent> f) => new(f);
}
