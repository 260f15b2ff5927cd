namespace NeuralAtlas.Tests.Support;

/// <summary>
/// Reference files written by the scripts in tools/fixtures/ (PyTorch, GUDHI, numpy, ...), committed under
/// tools/fixtures/out/ and copied next to the test assembly as fixtures/.
/// </summary>
public static class Fixtures
{
    public static string Path(params string[] parts)
    {
        string p = System.IO.Path.Combine(new[] { AppContext.BaseDirectory, "fixtures" }.Concat(parts).ToArray());
        if (!File.Exists(p) && !Directory.Exists(p))
            throw new FileNotFoundException($"fixture {string.Join('/', parts)} is missing; regenerate it with the script in tools/fixtures/", p);
        return p;
    }
}
