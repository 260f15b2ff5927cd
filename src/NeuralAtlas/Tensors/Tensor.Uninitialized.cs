namespace NeuralAtlas.Tensors;

public sealed partial class Tensor
{
    /// <summary>
    /// A tensor whose storage is not zeroed, for kernels that write every element: large outputs then skip one
    /// full pass over memory (the runtime's zeroing) per op.
    /// </summary>
    internal static Tensor Uninitialized(int[] shape) =>
        new(shape, GC.AllocateUninitializedArray<float>(checked((int)ShapeSize(shape))));
}
