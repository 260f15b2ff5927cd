using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text.RegularExpressions;

namespace NeuralAtlas.Cli;

/// <summary>
/// Help for a subcommand that takes none of its parent's arguments (<c>atlas match frozen</c> under <c>atlas match A B</c>):
/// System.CommandLine lists the parent's arguments in the subcommand's usage line and argument section, as if they
/// were needed. This renders the standard help and leaves them out.
/// </summary>
internal sealed partial class SubcommandHelp : SynchronousCommandLineAction
{
    /// <summary>Gives <paramref name="subcommand"/> its own --help that shows only what it takes.</summary>
    public static void AddTo(Command subcommand) => subcommand.Options.Add(new HelpOption { Action = new SubcommandHelp() });

    public override int Invoke(ParseResult parse)
    {
        var config = parse.InvocationConfiguration;
        var output = config.Output;
        var text = new StringWriter();
        config.Output = text;
        try { new HelpAction().Invoke(parse); }
        finally { config.Output = output; }
        var command = parse.CommandResult.Command;
        var parent = command.Parents.OfType<Command>().FirstOrDefault();
        string help = text.ToString();
        if (parent is not null && parent.Arguments.Count > 0)
        {
            help = help.Replace(string.Concat(parent.Arguments.Select(a => $" <{a.Name}>")) + " " + command.Name, " " + command.Name, StringComparison.Ordinal);
            if (command.Arguments.Count == 0) help = ArgumentSection().Replace(help, "");
        }
        output.Write(help);
        return 0;
    }

    [GeneratedRegex(@"Arguments:\r?\n(?:  .*\r?\n)+\r?\n")]
    private static partial Regex ArgumentSection();
}
