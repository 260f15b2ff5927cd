namespace NeuralAtlas;

/// <summary>A file that does not follow its format: names the file, the byte offset (or line) and what was expected.</summary>
public sealed class AtlasFormatException : AtlasException
{
    public string File { get; }
    public long Offset { get; }
    public string Expected { get; }

    public AtlasFormatException(string file, long offset, string expected, string? unit = null)
        : base($"{file}: at {unit ?? "byte offset"} {offset}: expected {expected}")
    {
        File = file;
        Offset = offset;
        Expected = expected;
    }
}
