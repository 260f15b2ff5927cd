namespace NeuralAtlas.Tensors;

/// <summary>
/// How many threads the tensor kernels use (default: the processor count). Kernels split work only when it is
/// large enough to pay for the hand-off, and nested kernels (a GEMM inside a per-sample conv loop) run serially.
/// </summary>
public static class Parallelism
{
    private static int _maxThreads = Math.Max(1, Environment.ProcessorCount);

    [ThreadStatic] private static bool _inside;

    /// <summary>Upper bound on worker threads for every tensor kernel (1 = serial).</summary>
    public static int MaxThreads
    {
        get => _maxThreads;
        set => _maxThreads = value >= 1 ? value : throw new AtlasArgumentException("MaxThreads", $"must be at least 1, got {value}");
    }

    /// <summary>True on a thread that is already running a slice of a parallel kernel.</summary>
    internal static bool Nested => _inside;

    /// <summary>Runs body(i) for i in [from, to), in parallel when allowed and there is more than one item.</summary>
    internal static void For(int from, int to, Action<int> body)
    {
        int n = to - from;
        if (n <= 0) return;
        int threads = Math.Min(_maxThreads, n);
        if (threads <= 1 || _inside)
        {
            for (int i = from; i < to; i++) body(i);
            return;
        }
        try
        {
            Parallel.For(from, to, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                bool was = _inside;
                _inside = true;
                try { body(i); }
                finally { _inside = was; }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers expect the typed exception a serial loop would have thrown (AtlasException and kin).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    /// <summary>
    /// Splits [0, n) into one contiguous chunk per thread when n ≥ <paramref name="grain"/>·2, else runs it in one
    /// call; body(start, end).
    /// </summary>
    internal static void Chunks(long n, long grain, Action<long, long> body)
    {
        int threads = (int)Math.Min(_maxThreads, Math.Max(1, n / Math.Max(1, grain)));
        if (threads <= 1 || _inside)
        {
            if (n > 0) body(0, n);
            return;
        }
        long per = (n + threads - 1) / threads;
        For(0, threads, t =>
        {
            long s = t * per, e = Math.Min(n, s + per);
            if (s < e) body(s, e);
        });
    }
}
