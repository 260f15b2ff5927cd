using System.Runtime.InteropServices;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Optional per-operation timing for benchmarks (single-threaded callers): forward time is the time since the
/// previous recorded op, attributed to the op being recorded; backward time is measured around each rule. Times
/// are the calling thread's CPU time (Linux), so a loaded machine does not inflate them.
/// </summary>
internal static partial class Profiler
{
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec; public long Nsec; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>CPU time of the calling thread in milliseconds (CLOCK_THREAD_CPUTIME_ID).</summary>
    internal static double ThreadCpuMs()
    {
        ClockGetTime(3, out var ts);
        return ts.Sec * 1e3 + ts.Nsec / 1e6;
    }

    internal static bool Enabled { get; set; }
    private static readonly Dictionary<string, (double Ms, int Calls)> _table = new();
    private static double _last;

    internal static void Mark() => _last = ThreadCpuMs();

    internal static void Forward(string name)
    {
        Add("fwd " + name, ThreadCpuMs() - _last);
        _last = ThreadCpuMs();
    }

    internal static void Add(string key, double ms)
    {
        lock (_table)
        {
            _table.TryGetValue(key, out var v);
            _table[key] = (v.Ms + ms, v.Calls + 1);
        }
    }

    internal static string Report() => string.Join("\n", _table.OrderByDescending(kv => kv.Value.Ms).Select(kv => $"{kv.Key,-40} {kv.Value.Ms,9:F1} ms {kv.Value.Calls,7} calls"));

    internal static void Reset() { lock (_table) _table.Clear(); Mark(); }
}
