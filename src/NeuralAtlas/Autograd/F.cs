using NeuralAtlas.Tensors;

namespace NeuralAtlas.Autograd;

/// <summary>
/// Differentiable operations on <see cref="Var"/> (torch.nn.functional and torch's tensor methods). Each computes
/// its value with the <see cref="Ops"/> kernels and, when recording, a backward rule written with these same
/// operations, so gradients can be differentiated again (second order throughout; higher where the rules allow).
/// This file holds the recording helper; the operations are grouped in the F.*.cs files beside it.
/// </summary>
public static partial class F
{
    /// <summary>Wraps <paramref name="value"/> as the result of an operation, recording it when any input requires grad.</summary>
    public static Var Record(Tensor value, string name, Var[] inputs, Func<Var, Var?[]> backward)
    {
        if (Profiler.Enabled) Profiler.Forward(name);
        if (!GradMode.IsEnabled) return new Var(value);
        foreach (var i in inputs)
            if (i.RequiresGrad) return new Var(value, true) { GradFn = new Node(name, inputs, backward) };
        return new Var(value);
    }

    /// <summary>A constant (no grad).</summary>
    public static Var Const(Tensor t) => new(t);

    /// <summary>A scalar constant.</summary>
    public static Var Const(float v) => new(Tensor.Scalar(v));

    /// <summary>A leaf that requires grad (a parameter or an input to differentiate with respect to).</summary>
    public static Var Param(Tensor t) => new(t, requiresGrad: true);

    internal static int[] KeepDimShape(int[] shape, int[] axes)
    {
        var s = (int[])shape.Clone();
        foreach (int a in axes) s[a] = 1;
        return s;
    }
}
