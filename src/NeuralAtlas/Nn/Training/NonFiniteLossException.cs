namespace NeuralAtlas.Nn.Training;

/// <summary>Training stopped because the loss became NaN or infinite; names the epoch and step.</summary>
public sealed class NonFiniteLossException : AtlasException
{
    public int Epoch { get; }
    public long Step { get; }
    public double Loss { get; }

    public NonFiniteLossException(int epoch, long step, double loss)
        : base($"training stopped: the loss became {loss} at epoch {epoch + 1}, step {step} (global); lower --lr or check the data")
    {
        Epoch = epoch;
        Step = step;
        Loss = loss;
    }
}
