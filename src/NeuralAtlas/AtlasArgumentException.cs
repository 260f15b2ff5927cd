namespace NeuralAtlas;

/// <summary>An argument out of its domain (a CLI option or a library parameter); names the argument and what was expected.</summary>
public sealed class AtlasArgumentException : AtlasException
{
    public string Argument { get; }

    public AtlasArgumentException(string argument, string message) : base($"{argument}: {message}")
    {
        Argument = argument;
    }
}
