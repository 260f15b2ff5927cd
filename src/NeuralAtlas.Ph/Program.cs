using System.Text;
using NeuralAtlas;
using NeuralAtlas.Topology;

// atlas-ph: `atlas ph` without the .NET runtime's start-up and footprint (compiled ahead of time). The options and the
// output are those of `atlas ph`; errors print one line and exit 2, as `atlas` does.
var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
try
{
    var run = RipserCommandLine.Parse(args);
    if (run is null) stdout.Write(RipserCommandLine.Usage + "\n");
    else run.Execute(stdout);
    stdout.Flush();
    return 0;
}
catch (Exception e) when (e is AtlasException or IOException or UnauthorizedAccessException)
{
    stdout.Flush();
    Console.Error.WriteLine("atlas-ph: error: " + e.Message);
    return 2;
}
