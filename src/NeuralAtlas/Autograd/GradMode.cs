namespace NeuralAtlas.Autograd;

/// <summary>
/// Whether operations are recorded on the tape (per thread, like torch.no_grad). Use
/// <c>using (GradMode.NoGrad()) { ... }</c> for inference and parameter updates.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static bool _disabled;

    /// <summary>True when operations on variables that require grad are recorded.</summary>
    public static bool IsEnabled => !_disabled;

    /// <summary>Stops recording until the returned scope is disposed (scopes nest).</summary>
    public static IDisposable NoGrad() => new Scope(false);

    /// <summary>Turns recording on until disposed (inside a NoGrad scope, e.g. for an attack's inner gradient).</summary>
    public static IDisposable EnableGrad() => new Scope(true);

    private sealed class Scope : IDisposable
    {
        private readonly bool _previous;
        private bool _done;

        public Scope(bool enabled)
        {
            _previous = _disabled;
            _disabled = !enabled;
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _disabled = _previous;
        }
    }
}
