using System.Diagnostics;
using System.Globalization;
using NeuralAtlas.Tensors;
using NeuralAtlas.Topology;

namespace NeuralAtlas.Bench.Topology;

/// <summary>
/// Vietoris–Rips persistence, ours vs Ripser, on clouds made with the recipes of Ripser's benchmark set: 192 points
/// on S³ (H≤2), random orthogonal 3×3 matrices in R⁹ (1,024 at threshold 1.8 and 4,096 at 1.4, H≤3), 50 uniform
/// points in [0,1]¹⁶ (H≤7). Each side runs in its own process: Ripser under /usr/bin/time -v, ours as a child of
/// this benchmark reporting its peak working set, or, with --native PATH (or ATLAS_PH=PATH), the ahead-of-time
/// compiled atlas-ph under /usr/bin/time -v exactly as Ripser. Outputs are compared line for line.
/// </summary>
public sealed class RipserBenchmark : IBenchmark
{
    public string Name => "ripser";
    public string Description => "VR persistence vs Ripser (RIPSER=path or --ripser PATH); args: [cases…|all] [--threads T] [--native PATH-TO-atlas-ph] [--runs R] [--keep DIR] (cases: sphere3_192 o3_1024 random16_50 o3_4096)";

    private sealed record Case(string Name, int Dim, double? Threshold, Func<Rng, (double[] Pts, int N, int D)> Make);

    private static readonly Case[] Cases =
    {
        new("sphere3_192", 2, null, rng => Sphere(rng, 192, 4)),
        new("o3_1024", 3, 1.8, rng => Rotations(rng, 1024)),
        new("random16_50", 7, null, rng => Uniform(rng, 50, 16)),
        new("o3_4096", 3, 1.4, rng => Rotations(rng, 4096)),
    };

    public int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "--inner") return Inner(args[1..]);
        string? ripser = Environment.GetEnvironmentVariable("RIPSER");
        string? native = Environment.GetEnvironmentVariable("ATLAS_PH");
        string? keep = null;
        int threads = 1, runs = 1;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--ripser") ripser = args[++i];
            else if (args[i] == "--threads") threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--native") native = args[++i];
            else if (args[i] == "--keep") keep = args[++i];
            else if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else names.Add(args[i]);
        }
        var chosen = names.Count == 0 ? Cases.Take(3) : names.Contains("all") ? Cases : Cases.Where(c => names.Contains(c.Name));
        if (ripser is not null && !File.Exists(ripser)) { Console.WriteLine($"ripser not found at {ripser}; running ours only"); ripser = null; }
        string dir = keep is null ? Directory.CreateTempSubdirectory("atlas-ripser-bench-").FullName : Directory.CreateDirectory(keep).FullName;
        if (native is not null && !File.Exists(native)) throw new FileNotFoundException($"atlas-ph not found at {native} (build it with ./atlas-ph --help)", native);
        Console.WriteLine($"threads {threads}; ours: {native ?? "the benchmark's own child process (JIT)"}; ripser {ripser ?? "(absent: set RIPSER or --ripser)"}; best of {runs} run(s) each (time and memory minimised separately)");
        Console.WriteLine("| case | points | dim | threshold | ours s (cpu s) | ours peak MB | Ripser s (cpu s) | Ripser peak MB | time ratio | memory ratio | same output |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        try
        {
            foreach (var c in chosen)
            {
                var (pts, n, d) = c.Make(new Rng(20261122));
                string file = Path.Combine(dir, c.Name + ".csv");
                using (var w = new StreamWriter(file))
                    for (int i = 0; i < n; i++)
                        w.WriteLine(string.Join(",", Enumerable.Range(0, d).Select(k => pts[i * d + k].ToString("R", CultureInfo.InvariantCulture))));
                string oursOut = Path.Combine(dir, c.Name + ".ours.txt"), ripserOut = Path.Combine(dir, c.Name + ".ripser.txt");
                var ours = Best(runs, () => native is null ? RunOurs(file, c, threads, oursOut) : RunTimed(native, file, c, oursOut, threads));
                (double Wall, double Cpu, double PeakMb)? theirs = ripser is null ? null : Best(runs, () => RunTimed(ripser, file, c, ripserOut, null));
                string same = theirs is null ? "n/a" : File.ReadAllText(Path.Combine(dir, c.Name + ".ours.txt")) == File.ReadAllText(Path.Combine(dir, c.Name + ".ripser.txt")) ? "yes" : "NO";
                string thr = c.Threshold?.ToString(CultureInfo.InvariantCulture) ?? "enclosing";
                string r(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine(theirs is { } t
                    ? $"| {c.Name} | {n} | {c.Dim} | {thr} | {r(ours.Wall)} ({r(ours.Cpu)}) | {ours.PeakMb:F1} | {r(t.Wall)} ({r(t.Cpu)}) | {t.PeakMb:F1} | {r(ours.Wall / t.Wall)} | {r(ours.PeakMb / t.PeakMb)} | {same} |"
                    : $"| {c.Name} | {n} | {c.Dim} | {thr} | {r(ours.Wall)} ({r(ours.Cpu)}) | {ours.PeakMb:F1} | – | – | – | – | n/a |");
            }
        }
        finally
        {
            if (keep is null)
                try { Directory.Delete(dir, true); } catch (IOException) { }
        }
        return 0;
    }

    private static (double Wall, double Cpu, double PeakMb) RunOurs(string file, Case c, int threads, string outFile)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(RipserBenchmark).Assembly.Location);
        foreach (var a in new[] { "ripser", "--inner", file, c.Dim.ToString(CultureInfo.InvariantCulture), c.Threshold?.ToString("R", CultureInfo.InvariantCulture) ?? "none", threads.ToString(CultureInfo.InvariantCulture), outFile })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal)) ?? throw new InvalidOperationException("inner run failed: " + output);
        var f = line.Split(' ');
        return (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The measured child: read the file, compute, write Ripser's text; report wall, CPU and peak working set.</summary>
    private static int Inner(string[] a)
    {
        var sw = Stopwatch.StartNew();
        var input = RipserInput.Read(a[0], RipserFormat.PointCloud);
        var options = new RipsOptions
        {
            MaxDimension = int.Parse(a[1], CultureInfo.InvariantCulture),
            Threshold = a[2] == "none" ? null : double.Parse(a[2], CultureInfo.InvariantCulture),
            Threads = int.Parse(a[3], CultureInfo.InvariantCulture),
        };
        using (var w = new StreamWriter(a[4])) RipserCompat.Run(input, options, PointMetric.Euclidean, w);
        double wall = sw.Elapsed.TotalSeconds;
        var me = Process.GetCurrentProcess();
        me.Refresh();
        Console.WriteLine(FormattableString.Invariant($"RESULT {wall} {me.TotalProcessorTime.TotalSeconds} {me.PeakWorkingSet64 / 1e6}"));
        return 0;
    }

    /// <summary>The fastest wall and CPU time and the smallest peak of several runs (each from its own process).</summary>
    private static (double Wall, double Cpu, double PeakMb) Best(int runs, Func<(double Wall, double Cpu, double PeakMb)> run)
    {
        var all = Enumerable.Range(0, Math.Max(1, runs)).Select(_ => run()).ToList();
        var fastest = all.MinBy(r => r.Wall);
        return (fastest.Wall, fastest.Cpu, all.Min(r => r.PeakMb));
    }

    /// <summary>A program with Ripser's command line (Ripser itself, or atlas-ph) under /usr/bin/time -v.</summary>
    private static (double Wall, double Cpu, double PeakMb) RunTimed(string exe, string file, Case c, string outFile, int? threads)
    {
        var psi = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", exe, "--format", "point-cloud", "--dim", c.Dim.ToString(CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(a);
        if (c.Threshold is { } t) { psi.ArgumentList.Add("--threshold"); psi.ArgumentList.Add(t.ToString("R", CultureInfo.InvariantCulture)); }
        if (threads is { } th) { psi.ArgumentList.Add("--threads"); psi.ArgumentList.Add(th.ToString(CultureInfo.InvariantCulture)); }
        psi.ArgumentList.Add(file);
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} exited with {p.ExitCode}: {err}");
        File.WriteAllText(outFile, stdoutTask.Result);
        // "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:19.12": the value follows the last ": " (its own colons have no space).
        double Field(string name) => err.Split('\n').Where(l => l.Contains(name, StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].Trim()).Select(ParseTime).First();
        double user = Field("User time (seconds)"), sys = Field("System time (seconds)");
        double wall = Field("Elapsed (wall clock) time");
        double kb = Field("Maximum resident set size (kbytes)");
        return (wall, user + sys, kb / 1000);
    }

    private static double ParseTime(string s)
    {
        // "h:mm:ss" or "m:ss.ss" or a plain number.
        var parts = s.Split(':');
        double v = 0;
        foreach (var part in parts) v = v * 60 + double.Parse(part, CultureInfo.InvariantCulture);
        return v;
    }

    private static (double[], int, int) Sphere(Rng rng, int n, int d)
    {
        var p = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) { p[i * d + k] = rng.Normal(); s += p[i * d + k] * p[i * d + k]; }
            s = Math.Sqrt(s);
            for (int k = 0; k < d; k++) p[i * d + k] /= s;
        }
        return (p, n, d);
    }

    private static (double[], int, int) Uniform(Rng rng, int n, int d)
    {
        var p = new double[n * d];
        for (int i = 0; i < p.Length; i++) p[i] = rng.NextDouble();
        return (p, n, d);
    }

    /// <summary>Haar-random orthogonal 3×3 matrices: Gram–Schmidt on Gaussian columns (QR with positive R diagonal), then a random sign for O(3).</summary>
    private static (double[], int, int) Rotations(Rng rng, int n)
    {
        var p = new double[n * 9];
        var q = new double[3][];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                var v = new[] { rng.Normal(), rng.Normal(), rng.Normal() };
                for (int b = 0; b < c; b++)
                {
                    double dot = v[0] * q[b][0] + v[1] * q[b][1] + v[2] * q[b][2];
                    for (int k = 0; k < 3; k++) v[k] -= dot * q[b][k];
                }
                double norm = Math.Sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
                q[c] = new[] { v[0] / norm, v[1] / norm, v[2] / norm };
            }
            double sign = rng.NextDouble() < 0.5 ? -1 : 1;
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++) p[i * 9 + r * 3 + c] = q[c][r] * (c == 2 ? sign : 1);
        }
        return (p, n, 9);
    }
}
