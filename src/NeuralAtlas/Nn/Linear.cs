using NeuralAtlas.Autograd;
using NeuralAtlas.Tensors;

namespace NeuralAtlas.Nn;

/// <summary>y = x·Wᵀ + b (nn.Linear): <c>weight</c> [out, in], <c>bias</c> [out].</summary>
public sealed class Linear : Module
{
    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Var Weight { get; }
    public Var? Bias { get; }

    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new AtlasArgumentException("features", $"Linear({inFeatures}, {outFeatures}) needs positive sizes");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var w = new Tensor(outFeatures, inFeatures);
        var b = bias ? new Tensor(outFeatures) : null;
        Init.LinearDefault(w, b, rng);
        Weight = RegisterParameter("weight", w);
        if (b is not null) Bias = RegisterParameter("bias", b);
    }

    protected override Var OnForward(Var input) => F.Linear(input, Weight, Bias);

    public override string ToString() => $"Linear(in_features={InFeatures}, out_features={OutFeatures}, bias={Bias is not null})";
}
