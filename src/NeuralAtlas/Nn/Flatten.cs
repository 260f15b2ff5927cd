using NeuralAtlas.Autograd;

namespace NeuralAtlas.Nn;

/// <summary>Merges dimensions startDim..endDim (nn.Flatten, default from 1).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    protected override Var OnForward(Var x) => F.Flatten(x, startDim, endDim);
}
