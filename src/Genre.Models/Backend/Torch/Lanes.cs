using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Data-parallel lanes for the LSTM recurrence: the rows of a micro-batch are split into contiguous chunks, and each lane
/// (one per thread) runs the whole recurrence on its chunks with single-threaded libtorch calls. An LSTM step is a small gemm
/// followed by the gate pass; run on the shared OpenMP pool, every step is a fork/join and the gate pass leaves the other
/// core spinning. In lanes there is one fork/join per pass and no idle core. Lane 0 runs on the caller; the others on
/// long-lived background threads. Exceptions in any lane are rethrown on the caller.
/// </summary>
internal static class Lanes
{
    /// <summary>Fewest rows worth a chunk of their own.</summary>
    const int MinRows = 256;

    /// <summary>
    /// Most chunks a pass is split into: two, one per core of the 2-core machine this is tuned for (four chunks were slower
    /// there: bench/results/runtime-settings.md). More chunks would let more cores work, at a fixed cost per chunk.
    /// </summary>
    const int MaxChunks = 2;

    static readonly object Gate = new();
    static Worker[] workers = System.Array.Empty<Worker>();

    /// <summary>
    /// How many row chunks <paramref name="rows"/> rows are split into: a function of the rows only, never of the thread
    /// count, so per-chunk partial sums (and hence results) are bit-identical on 1 or 2 threads.
    /// </summary>
    public static int Chunks(long rows) => (int)Math.Clamp(rows / MinRows, 1, MaxChunks);

    /// <summary>Chunk <paramref name="chunk"/>'s row range when <paramref name="rows"/> are split into <paramref name="chunks"/>.</summary>
    public static (long Start, long Count) Range(long rows, int chunks, int chunk)
    {
        long start = rows * chunk / chunks, end = rows * (chunk + 1) / chunks;
        return (start, end - start);
    }

    /// <summary>
    /// Runs body(0..chunks−1), chunk c on lane c mod L with L = min(chunks, libtorch threads) lanes running concurrently,
    /// libtorch single-threaded on each lane; restores the caller's thread count.
    /// </summary>
    public static void Run(int chunks, Action<int> body)
    {
        var threads = get_num_threads();
        var lanes = Math.Min(chunks, threads);
        if (lanes <= 1) { for (var c = 0; c < chunks; c++) body(c); return; }
        void Lane(int lane) { for (var c = lane; c < chunks; c += lanes) body(c); }
        lock (Gate)
        {
            if (workers.Length < lanes - 1)
                workers = workers.Concat(Enumerable.Range(workers.Length, lanes - 1 - workers.Length).Select(i => new Worker(i + 1))).ToArray();
            set_num_threads(1);
            try
            {
                for (var i = 1; i < lanes; i++) workers[i - 1].Post(Lane, i);
                Exception? first = null;
                try { Lane(0); } catch (Exception e) { first = e; }
                for (var i = 1; i < lanes; i++)
                {
                    var error = workers[i - 1].Join(); // every lane is joined, so no stale completion is left for the next run
                    first ??= error;
                }
                if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            }
            finally { set_num_threads(threads); }
        }
    }

    sealed class Worker
    {
        readonly SemaphoreSlim start = new(0), done = new(0);
        Action<int>? body;
        int lane;
        Exception? error;

        public Worker(int lane)
        {
            this.lane = lane;
            new Thread(Loop) { IsBackground = true, Name = $"lstm-lane-{lane}" }.Start();
        }

        public void Post(Action<int> work, int index) { body = work; lane = index; error = null; start.Release(); }

        public Exception? Join() { done.Wait(); return error; }

        void Loop()
        {
            set_num_threads(1);
            while (true)
            {
                start.Wait();
                try { body!(lane); } catch (Exception e) { error = e; }
                body = null;
                done.Release();
            }
        }
    }
}
