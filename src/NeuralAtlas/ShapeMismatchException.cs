namespace NeuralAtlas;

/// <summary>An operation got operands whose shapes do not fit together; names the op and both shapes.</summary>
public sealed class ShapeMismatchException : AtlasException
{
    public string Op { get; }

    public ShapeMismatchException(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b, string? detail = null)
        : base($"{op}: shapes {Format(a)} and {Format(b)} do not match{(detail is null ? "" : ": " + detail)}")
    {
        Op = op;
    }

    public ShapeMismatchException(string op, string message) : base($"{op}: {message}") { Op = op; }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
