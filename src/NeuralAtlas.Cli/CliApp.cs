using System.CommandLine;
using System.Reflection;

namespace NeuralAtlas.Cli;

/// <summary>Builds the root command from every <see cref="ICliCommand"/> and runs it with one error policy.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "atlas — the mathematics of deep networks: train models, capture activations, and measure their " +
            "similarity, dimension, topology, symmetry and robustness. Run 'atlas COMMAND --help' for each command.");
        var commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var c in commands) root.Subcommands.Add(c);
        return root;
    }

    /// <summary>
    /// Runs the command line. Deliberate errors (<see cref="AtlasException"/>, missing files) print one line
    /// "atlas: error: ..." on stderr and exit 2; anything else is a bug and exits 1 with its type.
    /// </summary>
    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        stdout ??= Console.Out;
        stderr ??= Console.Error;
        var root = BuildRoot();
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return root.Parse(args).Invoke(config);
        }
        catch (Exception e) when (Unwrap(e) is AtlasException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stderr.WriteLine("atlas: error: " + Unwrap(e).Message);
            return 2;
        }
        catch (Exception e)
        {
            var u = Unwrap(e);
            stderr.WriteLine($"atlas: internal error ({u.GetType().Name}): {u.Message}");
            if (Environment.GetEnvironmentVariable("ATLAS_DEBUG") == "1") stderr.WriteLine(u);
            return 1;
        }
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException!;
        return e;
    }
}
