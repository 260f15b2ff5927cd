using System.Diagnostics;

namespace NeuralAtlas.Bench.Similarity;

/// <summary>Runs a numpy script with Debian's /usr/bin/python3 (OpenBLAS, same thread count) and returns its stdout lines.</summary>
internal static class PythonPeer
{
    public static string[]? Run(string script, int threads, params string[] args)
    {
        if (!File.Exists("/usr/bin/python3")) return null;
        string path = Path.Combine(Path.GetTempPath(), $"atlas-sim-bench-{Environment.ProcessId}.py");
        File.WriteAllText(path, script);
        try
        {
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add(path);
            foreach (var a in args) psi.ArgumentList.Add(a);
            foreach (var v in new[] { "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS" }) psi.Environment[v] = threads.ToString();
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                Console.WriteLine($"peer failed: {err.Trim().Split('\n').LastOrDefault()}");
                return null;
            }
            return output.Trim().Split('\n');
        }
        finally { File.Delete(path); }
    }
}
