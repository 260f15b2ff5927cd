using System.CommandLine;
using NeuralAtlas.Native;

namespace NeuralAtlas.Cli.Commands;

/// <summary><c>atlas info</c>: versions and which native kernels are in use.</summary>
public sealed class InfoCommand : ICliCommand
{
    public Command Create()
    {
        var cmd = new Command("info", "Print the NeuralAtlas version, the runtime, and whether OpenBLAS is in use.");
        cmd.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine($"neuralatlas\t{typeof(AtlasException).Assembly.GetName().Version}");
            o.WriteLine($"runtime\t{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            o.WriteLine($"cores\t{Environment.ProcessorCount}");
            o.WriteLine($"openblas\t{OpenBlas.Status}");
            return 0;
        });
        return cmd;
    }
}
