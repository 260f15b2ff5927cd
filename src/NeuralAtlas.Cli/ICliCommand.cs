using System.CommandLine;

namespace NeuralAtlas.Cli;

/// <summary>
/// One top-level <c>atlas</c> subcommand. Implementations are found by reflection, so adding a command is adding
/// one file under Commands/ (no shared registry to edit). Nested commands (<c>atlas haldane generate</c>) are
/// subcommands of the returned command.
/// </summary>
public interface ICliCommand
{
    Command Create();
}
