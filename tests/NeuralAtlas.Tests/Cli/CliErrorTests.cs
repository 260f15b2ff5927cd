using NeuralAtlas.Tests.Support;

namespace NeuralAtlas.Tests.Cli;

public class CliErrorTests
{
    [Fact]
    public void UnknownCommandFailsWithMessage()
    {
        var r = CliRunner.Run("no-such-command");
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public void InfoReportsOpenBlasStatus()
    {
        var r = CliRunner.Run("info");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("openblas\t", r.Out);
    }
}
