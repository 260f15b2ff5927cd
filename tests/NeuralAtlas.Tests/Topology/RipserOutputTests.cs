using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Topology;

/// <summary>`atlas ph` prints Ripser's text output character for character (tools/fixtures/topology_ripser.py ran Ripser).</summary>
public class RipserOutputTests
{
    [Theory]
    [InlineData("cloud_point")]
    [InlineData("cloud_point_thr")]
    [InlineData("cloud_lower")]
    [InlineData("cloud_dist")]
    [InlineData("grid_point")]
    [InlineData("graph_sparse")]
    [InlineData("cloud_lower_mod3")]
    [InlineData("ties4_point")]
    [InlineData("rounded3_thr")]
    [InlineData("circle_mod3")]
    public void SameTextAsRipser(string name)
    {
        string dir = Fixtures.Path("topology", "ripser");
        var args = File.ReadAllLines(Path.Combine(dir, name + ".args")).Where(l => l.Length > 0).ToArray();
        args[^1] = Path.Combine(dir, args[^1]);
        var r = CliRunner.Run(new[] { "ph" }.Concat(args).ToArray());
        Assert.True(r.ExitCode == 0, r.Err);
        string expected = File.ReadAllText(Path.Combine(dir, name + ".txt"));
        Assert.Equal(expected, r.Out.Replace("\r\n", "\n"));
    }
}
