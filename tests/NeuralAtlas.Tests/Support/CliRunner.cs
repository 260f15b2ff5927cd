using NeuralAtlas.Cli;

namespace NeuralAtlas.Tests.Support;

/// <summary>Runs the atlas command line in-process and captures what it prints.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Err);

    public static Result Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int rc = CliApp.Run(args, o, e);
        return new Result(rc, o.ToString(), e.ToString());
    }
}
