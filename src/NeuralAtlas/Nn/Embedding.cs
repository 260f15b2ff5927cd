using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>A lookup table (nn.Embedding): integer-valued input of any shape → input shape + [dim]; weight N(0, 1).</summary>
public sealed class Embedding : Module
{
    public Var Weight { get; }

    public Embedding(int numEmbeddings, int embeddingDim, Rng rng)
    {
        var w = new Tensor(numEmbeddings, embeddingDim);
        Init.Normal(w, 0, 1, rng);
        Weight = RegisterParameter("weight", w);
    }

    protected override Var OnForward(Var indices) => F.Embedding(indices.Value, Weight);
}
