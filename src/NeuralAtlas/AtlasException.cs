namespace NeuralAtlas;

/// <summary>
/// Base of every error NeuralAtlas raises on purpose. The CLI prints <see cref="Exception.Message"/> as one line
/// and exits non-zero; anything that is not an <see cref="AtlasException"/> is a bug.
/// </summary>
public class AtlasException : Exception
{
    public AtlasException(string message) : base(message) { }
    public AtlasException(string message, Exception inner) : base(message, inner) { }
}
