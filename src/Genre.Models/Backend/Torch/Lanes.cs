namespace Genre.Models.Backend.Torch;

/// <summary>
/// Data-parallel lanes for the LSTM recurrence: the rows of a micro-batch are split into contiguous chunks, and each lane
/// (one per thread) runs the whole recurrence on its chunks with single-threaded libtorch calls. An LSTM step is a small gemm
/// followed by the gate pass; run on the shared OpenMP pool, every step is a fork/join and the gate pass leaves the other
/// cores spinning. In lanes there is one fork/join per pass and no idle core. Exceptions in any lane are rethrown on the caller.
/// <para>
/// The chunks are a function of the rows alone (<see cref="Chunks"/>), never of the thread count, and every chunk computes
/// the same thing whichever lane runs it: results are bit-identical on any number of threads, while a machine with more cores
/// runs more chunks at once (up to <see cref="LaneChunking.MaxChunks"/>). The chunking is a value the caller passes (a
/// model's, from its backend), never a setting of this class.
/// </para>
/// <para>
/// Threads: lane 0 runs on the caller; the others on background worker threads started on demand. A worker that has had no
/// work for <see cref="IdleTimeout"/> exits, and the next <see cref="Run"/> that needs it starts a new one; so there is no
/// pool to own or dispose, nothing outlives a burst of work by more than the timeout, and back-to-back passes (an epoch)
/// reuse the same threads.
/// </para>
/// <para>
/// libtorch runs single-threaded on every lane (the lanes are the parallelism); that switch is <see cref="TorchRuntime"/>'s
/// (<see cref="TorchRuntime.SingleThreaded"/>), which restores the host's thread count when the pass ends.
/// </para>
/// </summary>
internal static class Lanes
{

    /// <summary>How long a worker thread waits for work before it exits.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(1);

    static readonly object Gate = new();
    static readonly List<Worker> workers = new();
    static int alive;

    /// <summary>Worker threads running now (started and not yet exited after <see cref="IdleTimeout"/>).</summary>
    public static int LiveWorkers => Volatile.Read(ref alive);

    /// <summary>
    /// How many row chunks <paramref name="rows"/> rows are split into: a function of the rows and the
    /// <paramref name="chunking"/> only, never of the thread count, so per-chunk partial sums (and hence results) are
    /// bit-identical on any number of threads. An even number when more than one: two lanes then get equal work (RNN2's
    /// micro-batch of 699 rows would make 5 chunks, 3 on one lane and 2 on the other, the second core idle a sixth of the time).
    /// </summary>
    public static int Chunks(long rows, LaneChunking chunking)
    {
        var chunks = (int)Math.Clamp(rows / chunking.MinRows, 1, chunking.MaxChunks);
        return chunks > 1 && chunks % 2 == 1 ? chunks - 1 : chunks;
    }

    /// <summary>Chunk <paramref name="chunk"/>'s row range when <paramref name="rows"/> are split into <paramref name="chunks"/>.</summary>
    public static (long Start, long Count) Range(long rows, int chunks, int chunk)
    {
        long start = rows * chunk / chunks, end = rows * (chunk + 1) / chunks;
        return (start, end - start);
    }

    /// <summary>
    /// Runs body(0..chunks−1), chunk c on lane c mod L with L = min(chunks, libtorch threads) lanes running concurrently,
    /// libtorch single-threaded on each lane; restores the caller's thread count. A body must write only its own chunk's
    /// outputs (callers reduce per-chunk partials in chunk order afterwards).
    /// </summary>
    public static void Run(int chunks, Action<int> body)
    {
        var lanes = Math.Min(chunks, TorchRuntime.Threads);
        if (lanes <= 1) { for (var c = 0; c < chunks; c++) body(c); return; }
        void Lane(int lane) { for (var c = lane; c < chunks; c += lanes) body(c); }
        lock (Gate)
            TorchRuntime.SingleThreaded(() =>
            {
                for (var i = 1; i < lanes; i++)
                {
                    if (workers.Count < i) workers.Add(new Worker());
                    if (!workers[i - 1].TryPost(Lane, i)) // it had exited: start another
                    {
                        workers[i - 1] = new Worker();
                        workers[i - 1].TryPost(Lane, i);
                    }
                }
                Exception? first = null;
                try { Lane(0); } catch (Exception e) { first = e; }
                for (var i = 1; i < lanes; i++)
                {
                    var error = workers[i - 1].Join(); // every lane is joined, so no stale completion is left for the next run
                    first ??= error;
                }
                if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            });
    }

    /// <summary>
    /// One background thread running posted lanes. State: Idle → Posted (<see cref="TryPost"/>, under the gate) → Idle (the
    /// thread, when the lane is done); Idle → Exited (the thread, after <see cref="IdleTimeout"/> without work). Both leave
    /// Idle by compare-and-swap, so a post and an exit never both succeed.
    /// </summary>
    sealed class Worker
    {
        const int Idle = 0, Posted = 1, Exited = 2;
        readonly SemaphoreSlim start = new(0), done = new(0);
        Action<int>? body;
        int lane, state;
        Exception? error;

        public Worker()
        {
            Interlocked.Increment(ref alive);
            new Thread(Loop) { IsBackground = true, Name = "lstm-lane" }.Start();
        }

        /// <summary>Hands the thread lane <paramref name="index"/>; false if the thread has exited.</summary>
        public bool TryPost(Action<int> work, int index)
        {
            (body, lane, error) = (work, index, null);
            if (Interlocked.CompareExchange(ref state, Posted, Idle) != Idle) return false;
            start.Release();
            return true;
        }

        public Exception? Join() { done.Wait(); return error; }

        void Loop()
        {
            try
            {
                TorchRuntime.SingleThreadedThread();
                while (true)
                {
                    if (!start.Wait(IdleTimeout))
                    {
                        if (Interlocked.CompareExchange(ref state, Exited, Idle) == Idle) return;
                        start.Wait(); // posted just as the wait timed out
                    }
                    try { body!(lane); } catch (Exception e) { error = e; }
                    body = null;
                    Volatile.Write(ref state, Idle);
                    done.Release();
                }
            }
            finally { Interlocked.Decrement(ref alive); }
        }
    }
}

/// <summary>
/// How <see cref="Lanes"/> cut rows into chunks: at least <paramref name="MinRows"/> rows a chunk, at most
/// <paramref name="MaxChunks"/> chunks. Part of what a model computes: another chunking changes the per-chunk partial sums,
/// hence results in the last bits, so a backend keeps one for all its models (<see cref="TorchBackend"/>).
/// </summary>
public readonly record struct LaneChunking(int MinRows, int MaxChunks)
{
    /// <summary>
    /// Chunks of at least 128 rows, at most 8: a micro-batch of 1,024 rows gives 8 chunks, which up to 8 cores run at once.
    /// Smaller chunks make the gemms of a step smaller, at a cost per chunk on a machine with fewer cores than chunks
    /// (bench/results/lstm-lanes.md).
    /// </summary>
    public static readonly LaneChunking Default = new(MinRows: 128, MaxChunks: 8);
}
